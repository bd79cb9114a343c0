// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/streaminfo.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QString>

namespace EventScope {

class StoreReader;
struct StreamPage;

/**
 * The store's streams in id order, optionally filtered by a prefix ("user-4") or a category ("user-*"),
 * loaded lazily in the manner of Qt's fetchmore example (see EventTableModel).
 *
 * Live: when the reader reports appends, the summaries of the affected loaded streams are refreshed
 * (dataChanged), and new matching streams are inserted at their place when it lies within the loaded range;
 * those beyond it arrive with a later fetchMore().
 */
class StreamListModel : public QAbstractTableModel {
    Q_OBJECT
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
    Q_PROPERTY(QString filter READ filter WRITE setFilter)
public:
    enum Column { ColumnStreamId, ColumnCategory, ColumnEvents, ColumnLastVersion, ColumnLastRecordedAt, ColumnCount };
    Q_ENUM(Column)

    static constexpr int DefaultBatchSize = 200;

    /// Starts loading the first batch of every stream.
    explicit StreamListModel(StoreReader* reader, QObject* parent = nullptr);
    ~StreamListModel() override;

    QString filter() const { return m_filter; }
    /// Shows the streams matching \a pattern (empty: all); resets the model and loads the first batch.
    void setFilter(const QString& pattern);
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
    void onStreamsLoaded(quint64 requestId, const EventScope::StreamPage& page);
    void onStreamInfosLoaded(quint64 requestId, const QList<EventScope::StreamInfo>& streams);
    void onFailed(quint64 requestId, const QString& message);
    void onAppended(const QStringList& streamIds);
    /// Inserts \a info at its place or refreshes its row; returns false when it lies beyond the loaded range.
    bool merge(const StreamInfo& info);

    QPointer<StoreReader> m_reader;
    QString m_filter;
    QList<StreamInfo> m_rows; // sorted by streamId, as the store lists them
    QString m_nextAfter;
    int m_batchSize = DefaultBatchSize;
    quint64 m_pendingRequest = 0;
    QSet<quint64> m_refreshRequests;
    bool m_atEnd = false;
    QString m_lastError;
};

} // namespace EventScope
