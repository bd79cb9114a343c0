// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/readoptions.h"
#include "eventstore/recordedevent.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>
#include <QString>

namespace EventScope {

class StoreReader;

/**
 * The events of one stream (by version) or of $all (by position, optionally filtered), loaded lazily.
 *
 * Follows Qt's fetchmore example: rowCount() counts loaded rows; canFetchMore()/fetchMore() ask the
 * StoreReader for the next batch (one request at a time, keyset: after the last loaded event), and the batch
 * is appended with beginInsertRows(). Choosing a source resets the model and loads the first batch; answers
 * to requests made for an earlier source are dropped. Once the end is reached the model grows live: when the
 * reader reports an append that may concern it, it reads the new events and inserts them as rows.
 */
class EventTableModel : public QAbstractTableModel {
    Q_OBJECT
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
public:
    enum Column {
        ColumnPosition,
        ColumnStream,
        ColumnVersion,
        ColumnType,
        ColumnSchemaVersion,
        ColumnRecordedAt,
        ColumnActor,
        ColumnEventId,
        ColumnCount
    };
    Q_ENUM(Column)

    enum class Source { None, Stream, All };
    Q_ENUM(Source)

    static constexpr int DefaultBatchSize = 200;

    explicit EventTableModel(StoreReader* reader, QObject* parent = nullptr);
    ~EventTableModel() override;

    /// Shows the events of \a streamId in version order.
    void showStream(const QString& streamId);
    /// Shows $all in position order, restricted by \a filter.
    void showAll(const AllFilter& filter = {});
    /// Shows nothing.
    void clear();

    Source source() const { return m_source; }
    QString streamId() const { return m_streamId; }
    AllFilter allFilter() const { return m_filter; }

    int batchSize() const { return m_batchSize; }
    /// Events per request; takes effect with the next request.
    void setBatchSize(int batchSize);

    /// True while a request is outstanding.
    bool isLoading() const { return m_pendingRequest != 0; }
    /// True when every event up to the last read is loaded (rows still grow live).
    bool isAtEnd() const { return m_atEnd; }
    /// Message of the last failed request; empty after a successful one or a change of source.
    QString lastError() const { return m_lastError; }

    /// The event in \a row (a loaded row).
    const RecordedEvent& event(int row) const { return m_rows.at(row).event; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void errorOccurred(const QString& message);
    void loadingChanged(bool loading);

private:
    struct Row {
        RecordedEvent event;
        QString actor; // parsed once: the view asks for it on every paint
    };

    void setSource(Source source, const QString& streamId, const AllFilter& filter);
    void requestNext();
    quint64 issueRead();
    void setPendingRequest(quint64 requestId);
    void onEventsLoaded(quint64 requestId, const QList<EventScope::RecordedEvent>& events, bool atEnd);
    void onFailed(quint64 requestId, const QString& message);
    void onAppended(const QStringList& streamIds);
    bool concerns(const QStringList& streamIds) const;

    QPointer<StoreReader> m_reader;
    Source m_source = Source::None;
    QString m_streamId;
    AllFilter m_filter;
    QList<Row> m_rows;
    int m_batchSize = DefaultBatchSize;
    quint64 m_pendingRequest = 0;
    bool m_atEnd = true;
    bool m_appendedWhileLoading = false;
    QString m_lastError;
};

} // namespace EventScope
