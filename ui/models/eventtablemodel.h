// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "explorer/eventquery.h"
#include "explorer/eventsummary.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QString>
#include <QUuid>

#include <chrono>

namespace EventScope {

class ExplorerReader;

/**
 * The events an EventQuery selects (one stream or $all, filtered), as a window over the store that grows in
 * both directions, newest first by default.
 *
 * Loading: pages come from an ExplorerReader (worker threads), keyset only. The window is anchored by a jump:
 * to the newest event, the oldest, a global position or a time; each jump forgets the loaded rows and reads the
 * page at the anchor. Scrolling down asks for the next page through canFetchMore()/fetchMore() like Qt's
 * fetchmore example; scrolling up asks for the page above through canFetchTop()/fetchTop() (the view calls it
 * when it reaches the top), and those rows are inserted above the first. A page a request made for an earlier
 * query or anchor is dropped.
 *
 * Memory: rows hold summaries only (no payload), packed: stream ids, types and actors are stored once and
 * referenced by index, correlation ids as QUuid. A million rows take about 70 MB.
 *
 * Live tail: while on and the window reaches the newest event, events appended by anyone (the reader's store
 * watch sees other processes too) that match the query are inserted at their place, at the top when newest
 * first. Rows are never reordered or removed, so selections (persistent indexes) survive. While off, appends only
 * mark the newest edge incomplete, so that scrolling there loads them.
 */
class EventTableModel : public QAbstractTableModel {
    Q_OBJECT
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
    Q_PROPERTY(bool liveTail READ isLiveTail WRITE setLiveTail NOTIFY liveTailChanged)
public:
    enum Column {
        ColumnPosition,
        ColumnStream,
        ColumnVersion,
        ColumnType,
        ColumnRecordedAt,
        ColumnActor,
        ColumnCorrelationId,
        ColumnCount
    };
    Q_ENUM(Column)

    enum class Order { NewestFirst, OldestFirst };
    Q_ENUM(Order)

    static constexpr int DefaultPageSize = 200;

    explicit EventTableModel(ExplorerReader* reader, QObject* parent = nullptr);
    ~EventTableModel() override;

    /// Shows the events \a query selects, from the newest (or oldest, see order()). An invalid query shows
    /// nothing and reports EventQuery::validate()'s message through errorOccurred().
    void setQuery(const EventQuery& query);
    const EventQuery& query() const { return m_query; }
    /// Shows nothing (and cancels what is loading).
    void clear();
    bool hasQuery() const { return m_active; }

    Order order() const { return m_order; }
    /// Changes the display order; the window is re-anchored at the start of the new order.
    void setOrder(Order order);

    void jumpToNewest();
    void jumpToOldest();
    /// Anchors the window at the event at \a position, or the nearest older one that matches the query.
    void jumpToPosition(GlobalPosition position);
    /// Anchors the window at the first event matching the query recorded at or after \a time (none: the newest).
    void jumpToTime(const QDateTime& time);
    /// Row of the event the last jump aimed at, once loaded; -1 before.
    int anchorRow() const { return m_anchorRow; }

    bool canFetchTop() const;
    /// Loads the page above the first row (newer events when newest first).
    void fetchTop();

    bool isLiveTail() const { return m_liveTail; }
    void setLiveTail(bool on);

    int pageSize() const { return m_pageSize; }
    void setPageSize(int rows);
    /// Limit of one page request of a content query (EventQuery::isContentQuery()); 0: none.
    void setContentTimeLimit(std::chrono::milliseconds limit) { m_contentTimeLimit = limit; }

    /// True while a page is being read.
    bool isLoading() const;
    /// Stops the page requests in flight; the loaded rows stay.
    void cancel();
    bool isTopComplete() const { return m_topComplete; }
    bool isBottomComplete() const { return m_bottomComplete; }
    /// True when the last jump failed or was cancelled: the window holds what it had, and it is not the whole
    /// answer (the edges are not complete).
    bool isStopped() const { return m_stopped; }
    /// Message of the last failed request; empty after a successful one or a new query.
    QString lastError() const { return m_lastError; }

    EventSummary summary(int row) const;
    GlobalPosition positionAt(int row) const { return m_rows.at(row).position; }
    /// Row holding \a position, or -1.
    int rowOfPosition(GlobalPosition position) const;
    /// Bytes the rows and their shared strings take, roughly (for the memory benchmark).
    qint64 approximateMemory() const;

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
    void liveTailChanged(bool on);
    /// A jump's page arrived: \a row is the anchor's row (select it and scroll to it).
    void anchorLoaded(int row);
    /// Every page request finished (for tests and benchmarks).
    void idle();

private:
    enum class Edge { Top, Bottom };
    enum class Jump { None, Newest, Oldest, Position, Time };

    /// One loaded event, packed.
    struct Row {
        GlobalPosition position = 0;
        StreamVersion version = 0;
        qint64 recordedAtMs = 0;
        quint32 stream = 0; // index into m_strings
        quint32 type = 0;
        quint32 actor = 0;
        quint32 correlationText = 0; // a correlation id that is no UUID, else 0
        qint32 schemaVersion = 1;
        QUuid correlation;
    };

    struct Request {
        quint64 id = 0;
        Edge edge = Edge::Bottom;
        bool jump = false;
    };

    void reset(Jump jump, GlobalPosition position = 0, bool notify = true);
    void startJump();
    void request(Edge edge, GlobalPosition boundary, bool inclusive, int limit, bool jump);
    void onSummaries(quint64 id, const QList<EventScope::EventSummary>& summaries, bool atEnd, GlobalPosition head);
    void onFailed(quint64 id, const QString& message, bool cancelled);
    void onPositionFound(quint64 id, GlobalPosition position, bool found);
    void startTail(GlobalPosition head);
    void onAppended();
    void readTail();
    void onTail(quint64 id, const QList<EventScope::RecordedEvent>& events, bool atEnd);
    void insertLive(const QList<EventSummary>& summaries);
    bool newestEdgeComplete() const;
    void setNewestEdgeComplete(bool complete);
    /// Whether rows toward the top edge hold newer events.
    bool topIsNewer() const { return m_order == Order::NewestFirst; }
    void finishRequest(const Request& request);
    void setLoadingChanged(bool wasLoading);
    quint32 intern(const QString& text);
    Row pack(const EventSummary& summary);
    void prependRows(const QList<Row>& rows);
    /// Row where an event at \a position belongs in display order.
    int insertionRow(GlobalPosition position) const;

    QPointer<ExplorerReader> m_reader;
    EventQuery m_query;
    bool m_active = false;
    Order m_order = Order::NewestFirst;
    QList<Row> m_rows;
    QList<QString> m_strings { QString() };
    QHash<QString, quint32> m_stringIndex;

    QList<Request> m_requests;
    quint64 m_positionRequest = 0;
    quint64 m_tailRequest = 0;
    bool m_tailAgain = false;
    Jump m_jump = Jump::None;
    GlobalPosition m_jumpPosition = 0;
    int m_anchorRow = -1;
    GlobalPosition m_anchorPosition = 0;
    bool m_topComplete = true;
    bool m_bottomComplete = true;
    GlobalPosition m_tailCursor = -1; // where the tail continues; -1 until the newest edge was reached
    bool m_liveTail = true;
    int m_pageSize = DefaultPageSize;
    std::chrono::milliseconds m_contentTimeLimit { 10000 };
    bool m_stopped = false;
    QString m_lastError;
};

} // namespace EventScope
