// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "explorer/streamquery.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QString>

namespace EventScope {

class ExplorerReader;

/**
 * The store's streams matching a StreamQuery (prefix, category or wildcard pattern), by last activity (most
 * recent first) or by name, loaded lazily in keyset pages in the manner of Qt's fetchmore example.
 *
 * Live: when the reader reports appends, the affected streams are read again. By last activity they move to
 * the top (or appear there when new); by name their rows are refreshed in place, and new streams are inserted
 * at their place when it lies within the loaded range (those beyond it arrive with a later fetchMore()).
 */
class StreamListModel : public QAbstractTableModel {
    Q_OBJECT
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
    Q_PROPERTY(QString filter READ filter WRITE setFilter)
public:
    enum Column { ColumnStreamId, ColumnCategory, ColumnEvents, ColumnLastVersion, ColumnLastRecordedAt, ColumnCount };
    Q_ENUM(Column)

    static constexpr int DefaultBatchSize = 200;

    /// Starts loading the first batch of every stream, most recently active first.
    explicit StreamListModel(ExplorerReader* reader, QObject* parent = nullptr);
    ~StreamListModel() override;

    QString filter() const { return m_query.pattern; }
    /// Shows the streams matching \a pattern (empty: all); resets the model and loads the first batch.
    void setFilter(const QString& pattern);
    StreamQuery::Order order() const { return m_query.order; }
    void setOrder(StreamQuery::Order order);
    /// Forgets every loaded row and loads the first batch again.
    void reload();

    int batchSize() const { return m_batchSize; }
    void setBatchSize(int batchSize);

    bool isLoading() const { return m_pendingRequest != 0; }
    bool isAtEnd() const { return m_atEnd; }
    QString lastError() const { return m_lastError; }

    const StreamInfo& stream(int row) const { return m_rows.at(row); }
    /// Row of \a streamId, or -1 when it is not loaded.
    int rowOf(const QString& streamId) const;

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
    void requestNext();
    void setPendingRequest(quint64 requestId);
    void onStreamsListed(quint64 requestId, const EventScope::StreamListing& listing);
    void onStreamInfosLoaded(quint64 requestId, const QList<EventScope::StreamInfo>& streams);
    void onFailed(quint64 requestId, const QString& message);
    void onAppended(const QStringList& streamIds);
    /// Puts \a info at its place: moved to the top by activity, refreshed or inserted by name.
    void merge(const StreamInfo& info);
    /// Row where \a streamId belongs by name.
    int nameInsertionRow(const QString& streamId) const;

    QPointer<ExplorerReader> m_reader;
    StreamQuery m_query;
    QList<StreamInfo> m_rows;
    StreamCursor m_next;
    int m_batchSize = DefaultBatchSize;
    quint64 m_pendingRequest = 0;
    QSet<quint64> m_refreshRequests;
    bool m_atEnd = false;
    QString m_lastError;
};

} // namespace EventScope
