// SPDX-License-Identifier: Apache-2.0
#include "projectionstatusmodel.h"

#include "engine/engine.h"

#include <QFutureWatcher>
#include <QLocale>
#include <QtConcurrent>

#include <algorithm>
#include <cmath>

namespace EventScope {

using namespace std::chrono_literals;

namespace {

/// A faulted or paused projection does not catch up at any rate until an operator acts: it has no ETA.
std::optional<std::chrono::milliseconds> etaOf(const ProjectionStatus& status)
{
    if (status.state == ProjectionState::Faulted || status.state == ProjectionState::Paused)
        return std::nullopt;
    return status.eta;
}

bool isNumeric(int column)
{
    switch (column) {
    case ProjectionStatusModel::ColumnCheckpoint:
    case ProjectionStatusModel::ColumnHead:
    case ProjectionStatusModel::ColumnLagEvents:
    case ProjectionStatusModel::ColumnLagTime:
    case ProjectionStatusModel::ColumnRate:
    case ProjectionStatusModel::ColumnEta:
        return true;
    default:
        return false;
    }
}

} // namespace

ProjectionStatusModel::ProjectionStatusModel(QObject* parent)
    : QAbstractTableModel(parent)
{
    m_timer.setInterval(m_refreshInterval);
    connect(&m_timer, &QTimer::timeout, this, &ProjectionStatusModel::refresh);
}

ProjectionStatusModel::~ProjectionStatusModel() = default;

void ProjectionStatusModel::setEngine(std::shared_ptr<Engine> engine)
{
    if (m_engine)
        disconnect(&m_engine->projections(), nullptr, this, nullptr);
    m_engine = std::move(engine);
    ++m_generation; // answers and queued signals of the previous engine are dropped
    m_loading = false;
    if (!m_rows.isEmpty()) {
        beginRemoveRows({}, 0, int(m_rows.size()) - 1);
        m_rows.clear();
        endRemoveRows();
    }
    if (!m_engine) {
        m_timer.stop();
        return;
    }
    const quint64 generation = m_generation;
    // Emitted from the runner threads: queued, and only while this engine is still the one shown.
    connect(
        &m_engine->projections(), &ProjectionManager::statusChanged, this,
        [this, generation](const ProjectionStatus& status) {
            if (generation == m_generation)
                updateStatus(status);
        },
        Qt::QueuedConnection);
    if (m_refreshInterval > 0ms && m_polling)
        m_timer.start();
    refresh();
}

void ProjectionStatusModel::setPolling(bool on)
{
    m_polling = on;
    if (on && m_engine && m_refreshInterval > 0ms)
        m_timer.start();
    else
        m_timer.stop();
}

void ProjectionStatusModel::setRefreshInterval(std::chrono::milliseconds interval)
{
    m_refreshInterval = interval;
    m_timer.setInterval(std::max(interval, 1ms));
    if (interval <= 0ms)
        m_timer.stop();
    else if (m_engine && m_polling)
        m_timer.start();
}

void ProjectionStatusModel::refresh()
{
    if (!m_engine)
        return;
    const ProjectionManager& manager = m_engine->projections();
    if (manager.isRunning()) {
        setStatuses(manager.statuses()); // in memory, no I/O
        return;
    }
    if (m_loading)
        return;
    m_loading = true;
    const quint64 generation = m_generation;
    auto* watcher = new QFutureWatcher<StoreResult<QList<ProjectionStatus>>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        m_loading = false;
        const auto result = watcher->result();
        if (!result) {
            Q_EMIT failed(result.error().message());
            return;
        }
        // The projections may have been started meanwhile: their live statuses win.
        if (m_engine && !m_engine->projections().isRunning())
            setStatuses(result.value());
        Q_EMIT loaded();
    });
    watcher->setFuture(QtConcurrent::run([engine = m_engine] { return engine->projections().storedStatuses(); }));
}

void ProjectionStatusModel::setStatuses(const QList<ProjectionStatus>& statuses)
{
    QStringList names;
    names.reserve(statuses.size());
    for (const ProjectionStatus& status : statuses)
        names << status.name;
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!names.contains(m_rows.at(row).name)) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    for (const ProjectionStatus& status : statuses)
        updateStatus(status);
}

void ProjectionStatusModel::updateStatus(const ProjectionStatus& status)
{
    const int row = rowOf(status.name);
    if (row < 0) {
        // By name, as the manager lists them, whatever order the first statuses arrive in.
        const auto position = std::lower_bound(m_rows.cbegin(), m_rows.cend(), status.name,
            [](const ProjectionStatus& row, const QString& name) { return row.name < name; });
        const int at = int(position - m_rows.cbegin());
        beginInsertRows({}, at, at);
        m_rows.insert(at, status);
        endInsertRows();
        return;
    }
    const ProjectionStatus before = m_rows.at(row);
    // A queued statusChanged() may arrive after a newer statuses() poll.
    if (before.updatedAt.isValid() && status.updatedAt.isValid() && status.updatedAt < before.updatedAt)
        return;
    m_rows[row] = status;
    int first = -1;
    int last = -1;
    for (int column = 0; column < ColumnCount; ++column) {
        if (display(before, column) != display(status, column) || sortValue(before, column) != sortValue(status, column)
            || toolTip(before, column) != toolTip(status, column)) {
            if (first < 0)
                first = column;
            last = column;
        }
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(row, first), index(row, last));
}

int ProjectionStatusModel::rowOf(const QString& name) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).name == name)
            return row;
    }
    return -1;
}

QString ProjectionStatusModel::stateText(ProjectionState state)
{
    switch (state) {
    case ProjectionState::Stopped:
        return tr("stopped");
    case ProjectionState::CatchingUp:
        return tr("catching up");
    case ProjectionState::Live:
        return tr("live");
    case ProjectionState::Paused:
        return tr("paused");
    case ProjectionState::Rebuilding:
        return tr("rebuilding");
    case ProjectionState::Faulted:
        return tr("faulted");
    case ProjectionState::RunningElsewhere:
        return tr("running elsewhere");
    }
    return {};
}

QString ProjectionStatusModel::countText(qint64 count)
{
    QLocale locale;
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    return locale.toString(count);
}

QString ProjectionStatusModel::durationText(std::chrono::milliseconds duration)
{
    const qint64 ms = std::max<qint64>(0, duration.count());
    if (ms == 0)
        return tr("0 s");
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    const qint64 seconds = (ms + 500) / 1000;
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    if (seconds < 86400)
        return tr("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
    return tr("%1 d %2 h").arg(seconds / 86400).arg(seconds % 86400 / 3600);
}

double ProjectionStatusModel::progressOf(const ProjectionStatus& status)
{
    if (status.rebuild)
        return status.rebuild->progress();
    if (status.state == ProjectionState::CatchingUp)
        return status.head <= 0 ? 1.0 : qBound(0.0, double(status.checkpoint) / double(status.head), 1.0);
    return -1;
}

int ProjectionStatusModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProjectionStatusModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProjectionStatusModel::display(const ProjectionStatus& status, int column) const
{
    switch (column) {
    case ColumnName:
        return status.name;
    case ColumnState:
        return stateText(status.state);
    case ColumnCheckpoint:
        return countText(status.checkpoint);
    case ColumnHead:
        return countText(status.head);
    case ColumnLagEvents:
        return countText(status.lagEvents);
    case ColumnLagTime:
        return durationText(status.lagTime);
    case ColumnRate:
        return tr("%1/s").arg(countText(qint64(std::llround(status.eventsPerSecond))));
    case ColumnEta:
        return etaOf(status) ? durationText(*etaOf(status)) : QString();
    case ColumnProgress: {
        const double progress = progressOf(status);
        if (progress < 0)
            return QString();
        const QString percent = tr("%1 %").arg(int(std::floor(progress * 100)));
        return status.rebuild ? tr("rebuilding v%1: %2").arg(status.rebuild->version).arg(percent)
                              : tr("catching up: %1").arg(percent);
    }
    case ColumnError:
        if (status.fault)
            return tr("at %1 (%2 in %3): %4")
                .arg(countText(status.fault->position), status.fault->eventType, status.fault->streamId,
                    status.fault->error);
        return status.lastError;
    }
    return {};
}

QVariant ProjectionStatusModel::sortValue(const ProjectionStatus& status, int column) const
{
    switch (column) {
    case ColumnName:
        return status.name;
    case ColumnState:
        return int(status.state);
    case ColumnCheckpoint:
        return qint64(status.checkpoint);
    case ColumnHead:
        return qint64(status.head);
    case ColumnLagEvents:
        return status.lagEvents;
    case ColumnLagTime:
        return qint64(status.lagTime.count());
    case ColumnRate:
        return status.eventsPerSecond;
    case ColumnEta:
        return etaOf(status) ? QVariant(qint64(etaOf(status)->count())) : QVariant();
    case ColumnProgress:
        return progressOf(status);
    case ColumnError:
        return status.fault ? status.fault->error : status.lastError;
    }
    return {};
}

QString ProjectionStatusModel::toolTip(const ProjectionStatus& status, int column) const
{
    switch (column) {
    case ColumnName: {
        QString text = status.description.isEmpty() ? status.name : status.name + u": " + status.description;
        text += u'\n'
            + (status.storedVersion == status.version ? tr("Read model version %1").arg(status.version)
                                                      : tr("Code version %1; the stored read model is version %2")
                                                            .arg(status.version)
                                                            .arg(status.storedVersion));
        return text;
    }
    case ColumnState:
        switch (status.state) {
        case ProjectionState::Stopped:
            return tr("Not run by this EventScope; its read model stays as it is.");
        case ProjectionState::CatchingUp:
            return tr("Reading the events towards the head of the store.");
        case ProjectionState::Live:
            return tr("Caught up; applies events as they are appended.");
        case ProjectionState::Paused:
            return tr("Paused by an operator; resume it to apply events again.");
        case ProjectionState::Rebuilding:
            return tr("Building a new read model in shadow tables; the current one keeps serving until it has "
                      "caught up.");
        case ProjectionState::Faulted:
            return tr("Stopped on an event it cannot apply: retry it, or skip the event.");
        case ProjectionState::RunningElsewhere:
            return tr("Run by another EventScope instance (%1).")
                .arg(status.owner.isEmpty() ? tr("unknown") : status.owner);
        }
        return {};
    case ColumnLagEvents:
        return tr("Events in $all not yet applied");
    case ColumnLagTime:
        return tr("Age of the oldest event not yet applied");
    case ColumnRate:
        return tr("Events applied per second, recently");
    case ColumnEta:
        return etaOf(status) ? tr("Time until caught up at the current rate") : QString();
    case ColumnProgress:
        if (status.rebuild)
            return tr("Rebuild to version %1: %2 of %3 (%4), started %5")
                .arg(status.rebuild->version)
                .arg(countText(status.rebuild->position), countText(status.rebuild->target),
                    status.rebuild->reason.isEmpty() ? tr("no reason given") : status.rebuild->reason,
                    QLocale().toString(status.rebuild->startedAt.toLocalTime(), QLocale::ShortFormat));
        return status.state == ProjectionState::CatchingUp
            ? tr("Caught up to %1 of %2").arg(countText(status.checkpoint), countText(status.head))
            : QString();
    case ColumnError:
        if (status.fault)
            return tr("Faulted on event %1 (%2) of stream %3 at %4:\n%5")
                .arg(countText(status.fault->position), status.fault->eventType, status.fault->streamId,
                    QLocale().toString(status.fault->at.toLocalTime(), QLocale::ShortFormat), status.fault->error);
        return status.lastError;
    }
    return {};
}

QVariant ProjectionStatusModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ProjectionStatus& status = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(status, index.column());
    case Qt::ToolTipRole: {
        const QString text = toolTip(status, index.column());
        return text.isEmpty() ? QVariant() : QVariant(text);
    }
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::Alignment(
            isNumeric(index.column()) ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter));
    case NameRole:
        return status.name;
    case StateRole:
        return int(status.state);
    case ProgressRole:
        return progressOf(status);
    case ProgressKindRole:
        return status.rebuild                             ? QStringLiteral("rebuild")
            : status.state == ProjectionState::CatchingUp ? QStringLiteral("catch-up")
                                                          : QString();
    case SortRole:
        return sortValue(status, index.column());
    case StatusRole:
        return QVariant::fromValue(status);
    }
    return {};
}

QVariant ProjectionStatusModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(
            Qt::Alignment(isNumeric(section) ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter));
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (section) {
    case ColumnName:
        return tr("Projection");
    case ColumnState:
        return tr("State");
    case ColumnCheckpoint:
        return role == Qt::ToolTipRole ? tr("The $all position applied last") : tr("Checkpoint");
    case ColumnHead:
        return role == Qt::ToolTipRole ? tr("The $all position of the newest event") : tr("Head");
    case ColumnLagEvents:
        return role == Qt::ToolTipRole ? tr("Events not yet applied") : tr("Lag");
    case ColumnLagTime:
        return role == Qt::ToolTipRole ? tr("Age of the oldest event not yet applied") : tr("Lag (time)");
    case ColumnRate:
        return tr("Events/s");
    case ColumnEta:
        return role == Qt::ToolTipRole ? tr("Time until caught up at the current rate") : tr("ETA");
    case ColumnProgress:
        return role == Qt::ToolTipRole ? tr("Progress of a rebuild or of catching up") : tr("Progress");
    case ColumnError:
        return tr("Last error");
    }
    return {};
}

QHash<int, QByteArray> ProjectionStatusModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(StateRole, "state");
    names.insert(ProgressRole, "progress");
    names.insert(ProgressKindRole, "progressKind");
    names.insert(SortRole, "sortValue");
    names.insert(StatusRole, "status");
    return names;
}

} // namespace EventScope
