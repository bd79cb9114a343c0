// SPDX-License-Identifier: Apache-2.0
#include "streamhistory.h"

#include "domain/eventtyperegistry.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <utility>

namespace EventScope {

namespace {

/// A checkpoint never holds fewer changes than this behind it, so tiny states are not copied after every event.
constexpr qsizetype MinCheckpointDistance = 32;

QString escapeKey(const QString& key)
{
    if (!key.contains(u'.') && !key.contains(u'\\'))
        return key;
    QString escaped;
    escaped.reserve(key.size() + 4);
    for (const QChar c : key) {
        if (c == u'.' || c == u'\\')
            escaped.append(u'\\');
        escaped.append(c);
    }
    return escaped;
}

QString unescapeKey(QStringView escaped)
{
    if (!escaped.contains(u'\\'))
        return escaped.toString();
    QString key;
    key.reserve(escaped.size());
    for (qsizetype i = 0; i < escaped.size(); ++i) {
        if (escaped[i] == u'\\' && i + 1 < escaped.size())
            ++i;
        key.append(escaped[i]);
    }
    return key;
}

/// Index of the first unescaped '.' in \a path at or after \a from, or -1.
qsizetype nextSeparator(const QString& path, qsizetype from)
{
    for (qsizetype i = from; i < path.size(); ++i) {
        if (path[i] == u'\\')
            ++i;
        else if (path[i] == u'.')
            return i;
    }
    return -1;
}

QString childPath(const QString& parent, const QString& key)
{
    return parent.isEmpty() ? escapeKey(key) : parent % u'.' % escapeKey(key);
}

} // namespace

/// Builds a StreamHistory: the fold's mutable state and the bookkeeping of one event's changes.
class StreamHistoryBuilder {
public:
    using Field = StreamHistory::Field;
    using Fields = StreamHistory::Fields;

    explicit StreamHistoryBuilder(StreamHistory& history)
        : m_history(history)
    {
    }

    static void flatten(const QJsonObject& object, const QString& prefix, Fields& out)
    {
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const QString path = childPath(prefix, it.key());
            const QJsonValue value = it.value();
            if (value.isObject() && !value.toObject().isEmpty())
                flatten(value.toObject(), path, out);
            else
                out.emplace_hint(out.end(), path, Field { value, -1 });
        }
    }

    static QJsonObject unflatten(Fields::const_iterator begin, Fields::const_iterator end, qsizetype offset)
    {
        QJsonObject object;
        auto it = begin;
        while (it != end) {
            const QString& path = it->first;
            const qsizetype separator = nextSeparator(path, offset);
            if (separator < 0) {
                object.insert(unescapeKey(QStringView(path).mid(offset)), it->second.value);
                ++it;
                continue;
            }
            // Paths sharing a prefix are contiguous in the sorted map.
            const QStringView prefix = QStringView(path).left(separator + 1);
            auto groupEnd = std::next(it);
            while (groupEnd != end && groupEnd->first.startsWith(prefix))
                ++groupEnd;
            object.insert(
                unescapeKey(QStringView(path).mid(offset, separator - offset)), unflatten(it, groupEnd, separator + 1));
            it = groupEnd;
        }
        return object;
    }

    /// Applies \a payload to m_state as a JSON Merge Patch, recording what it touches.
    void mergePayload(const QJsonObject& payload, qsizetype step)
    {
        m_step = step;
        mergeObject(QString(), payload);
    }

    /// Replaces m_state by \a next (a flattened aggregate state), recording the differences.
    void replaceState(Fields next, qsizetype step)
    {
        auto oldIt = m_state.cbegin();
        auto newIt = next.begin();
        while (oldIt != m_state.cend() || newIt != next.end()) {
            if (newIt == next.end() || (oldIt != m_state.cend() && oldIt->first < newIt->first)) {
                m_changes.append(
                    { FieldChange::Kind::Removed, oldIt->first, oldIt->second.value, QJsonValue::Undefined });
                ++oldIt;
            } else if (oldIt == m_state.cend() || newIt->first < oldIt->first) {
                newIt->second.origin = step;
                m_changes.append(
                    { FieldChange::Kind::Added, newIt->first, QJsonValue::Undefined, newIt->second.value });
                ++newIt;
            } else {
                if (oldIt->second.value == newIt->second.value) {
                    newIt->second.origin = oldIt->second.origin;
                } else {
                    newIt->second.origin = step;
                    m_changes.append(
                        { FieldChange::Kind::Changed, newIt->first, oldIt->second.value, newIt->second.value });
                }
                ++oldIt;
                ++newIt;
            }
        }
        m_state = std::move(next);
    }

    /// Turns what mergePayload() touched into the step's changes.
    void collectTouched()
    {
        for (const auto& [path, touch] : m_touched) {
            const auto now = m_state.find(path);
            if (!touch.before && now == m_state.end())
                continue;
            if (!touch.before)
                m_changes.append({ FieldChange::Kind::Added, path, QJsonValue::Undefined, now->second.value });
            else if (now == m_state.end())
                m_changes.append({ FieldChange::Kind::Removed, path, *touch.before, QJsonValue::Undefined });
            else if (*touch.before != now->second.value)
                m_changes.append({ FieldChange::Kind::Changed, path, *touch.before, now->second.value });
            else if (touch.written)
                m_rewritten.append(path);
        }
        m_touched.clear();
    }

    /// Appends \a step with the recorded changes, and a checkpoint when enough changed since the last one.
    void finishStep(HistoryStep step)
    {
        step.changes = std::exchange(m_changes, {});
        step.rewritten = std::exchange(m_rewritten, {});
        m_sinceCheckpoint += step.changes.size() + step.rewritten.size();
        m_history.m_steps.append(std::move(step));
        if (m_sinceCheckpoint >= std::max<qsizetype>(MinCheckpointDistance, qsizetype(m_state.size()))) {
            m_history.m_checkpoints.push_back({ m_history.m_steps.size() - 1, m_state });
            m_sinceCheckpoint = 0;
        }
    }

    Fields& state() { return m_state; }

private:
    struct Touch {
        std::optional<QJsonValue> before;
        bool written = false;
    };

    void remember(const QString& path, const Fields::iterator& at)
    {
        auto [touch, inserted] = m_touched.try_emplace(path);
        if (inserted && at != m_state.end())
            touch->second.before = at->second.value;
    }

    void erase(const QString& path)
    {
        auto it = m_state.find(path);
        if (it == m_state.end())
            return;
        remember(path, it);
        m_state.erase(it);
    }

    void eraseUnder(const QString& path)
    {
        const QString prefix = path % u'.';
        auto it = m_state.lower_bound(prefix);
        while (it != m_state.end() && it->first.startsWith(prefix)) {
            remember(it->first, it);
            it = m_state.erase(it);
        }
    }

    bool hasUnder(const QString& path) const
    {
        const QString prefix = path % u'.';
        auto it = m_state.lower_bound(prefix);
        return it != m_state.end() && it->first.startsWith(prefix);
    }

    void set(const QString& path, const QJsonValue& value)
    {
        auto it = m_state.find(path);
        if (m_touched.find(path) == m_touched.end()) {
            Touch touch;
            if (it != m_state.end())
                touch.before = it->second.value;
            m_touched.emplace(path, std::move(touch));
        }
        m_touched[path].written = true;
        if (it == m_state.end())
            m_state.emplace(path, Field { value, m_step });
        else
            it->second = Field { value, m_step };
    }

    void mergeObject(const QString& path, const QJsonObject& patch)
    {
        if (!path.isEmpty())
            erase(path); // a scalar, array or empty object there becomes the object being merged
        for (auto it = patch.constBegin(); it != patch.constEnd(); ++it) {
            const QString child = childPath(path, it.key());
            const QJsonValue value = it.value();
            if (value.isNull()) {
                erase(child);
                eraseUnder(child);
            } else if (value.isObject()) {
                mergeObject(child, value.toObject());
            } else {
                eraseUnder(child);
                set(child, value);
            }
        }
        if (!path.isEmpty() && !hasUnder(path))
            set(path, QJsonObject {});
    }

    StreamHistory& m_history;
    Fields m_state;
    qsizetype m_step = -1;
    std::map<QString, Touch> m_touched;
    QList<FieldChange> m_changes;
    QStringList m_rewritten;
    qsizetype m_sinceCheckpoint = 0;
};

StreamHistory StreamHistory::build(
    const QList<RecordedEvent>& events, const EventTypeRegistry* registry, const Repository::Factory& factory)
{
    StreamHistory history;
    history.m_fold = factory ? Fold::Aggregate : Fold::GenericMerge;
    if (!events.isEmpty())
        history.m_streamId = events.first().streamId;

    StreamHistoryBuilder builder(history);
    std::unique_ptr<AggregateRoot> aggregate;
    if (factory) {
        aggregate = factory(history.m_streamId);
        if (!aggregate) {
            history.m_error = DomainError(DomainError::Code::InvalidRegistration,
                tr("The aggregate factory made no aggregate for stream '%1'. Check the domain's registration.")
                    .arg(history.m_streamId));
            history.m_failedVersion = 0;
            return history;
        }
        StreamHistoryBuilder::flatten(aggregate->snapshotState(), QString(), history.m_initial);
        builder.state() = history.m_initial;
    }
    const EventTypeRegistry fallbackRegistry;
    const EventTypeRegistry& decoder = registry ? *registry : fallbackRegistry;

    for (qsizetype i = 0; i < events.size(); ++i) {
        const RecordedEvent& stored = events.at(i);
        const auto stop = [&](DomainError::Code code, const QString& message) {
            history.m_error = DomainError(code, message);
            history.m_failedVersion = i;
        };
        if (stored.streamId != history.m_streamId) {
            stop(DomainError::Code::InvalidStream,
                tr("The history of stream '%1' was given an event of stream '%2' at version %3. Read the events of "
                   "one stream only.")
                    .arg(history.m_streamId, stored.streamId)
                    .arg(i));
            break;
        }
        if (stored.streamVersion != i) {
            stop(DomainError::Code::InvalidStream,
                tr("Stream '%1' has no event at version %2 (the next one given is at version %3), so no state can be "
                   "computed from there on. Read the stream from version 0 without gaps.")
                    .arg(history.m_streamId)
                    .arg(i)
                    .arg(stored.streamVersion));
            break;
        }

        HistoryStep step;
        step.version = stored.streamVersion;
        step.position = stored.position;
        step.eventType = stored.eventType;
        step.eventId = stored.eventId;
        step.recordedAt = stored.recordedAt;
        step.storedSchemaVersion = stored.schemaVersion;
        step.schemaVersion = stored.schemaVersion;

        if (aggregate) {
            auto event = decoder.decode(stored);
            if (!event) {
                history.m_error = event.error();
                history.m_failedVersion = i;
                break;
            }
            step.schemaVersion = event->schemaVersion;
            aggregate->replay(event.value());
            Fields next;
            StreamHistoryBuilder::flatten(aggregate->snapshotState(), QString(), next);
            builder.replaceState(std::move(next), i);
        } else {
            QJsonObject payload;
            if (registry) {
                auto decoded = registry->decodePayload(stored);
                if (!decoded) {
                    history.m_error = decoded.error();
                    history.m_failedVersion = i;
                    break;
                }
                payload = std::move(decoded.value());
                if (registry->isKnown(stored.eventType))
                    step.schemaVersion = std::max(stored.schemaVersion, registry->currentVersion(stored.eventType));
            } else {
                QJsonParseError parseError;
                const QJsonDocument document = QJsonDocument::fromJson(stored.payload, &parseError);
                if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
                    stop(DomainError::Code::InvalidStream,
                        tr("The payload of event %1 (%2) at version %3 of stream '%4' is not a JSON object, so it "
                           "cannot be merged into the state. Inspect the event's raw payload.")
                            .arg(stored.eventId.toString(QUuid::WithoutBraces), stored.eventType)
                            .arg(i)
                            .arg(history.m_streamId));
                    break;
                }
                payload = document.object();
            }
            builder.mergePayload(payload, i);
            builder.collectTouched();
        }
        builder.finishStep(std::move(step));
    }
    return history;
}

QString StreamHistory::foldLabel() const
{
    return m_fold == Fold::Aggregate ? tr("State of the aggregate (from its domain's apply)")
                                     : tr("Generic state: a JSON merge of the event payloads (no registered domain)");
}

StreamHistory::Fields StreamHistory::fieldsAt(StreamVersion version) const
{
    if (!contains(version))
        return {};
    // The newest checkpoint at or before the version, then the changes after it.
    auto after = std::upper_bound(m_checkpoints.cbegin(), m_checkpoints.cend(), qsizetype(version),
        [](qsizetype step, const Checkpoint& checkpoint) { return step < checkpoint.step; });
    Fields fields;
    qsizetype from = 0;
    if (after == m_checkpoints.cbegin()) {
        fields = m_initial;
    } else {
        fields = std::prev(after)->fields;
        from = std::prev(after)->step + 1;
    }
    for (qsizetype i = from; i <= version; ++i) {
        const HistoryStep& step = m_steps.at(i);
        for (const FieldChange& change : step.changes) {
            if (change.kind == FieldChange::Kind::Removed)
                fields.erase(change.path);
            else
                fields.insert_or_assign(change.path, Field { change.newValue, i });
        }
        for (const QString& path : step.rewritten) {
            if (auto it = fields.find(path); it != fields.end())
                it->second.origin = i;
        }
    }
    return fields;
}

QJsonObject StreamHistory::initialState() const
{
    return StreamHistoryBuilder::unflatten(m_initial.cbegin(), m_initial.cend(), 0);
}

QJsonObject StreamHistory::stateAt(StreamVersion version) const
{
    const Fields fields = fieldsAt(version);
    return StreamHistoryBuilder::unflatten(fields.cbegin(), fields.cend(), 0);
}

QList<FieldChange> StreamHistory::diffAt(StreamVersion version) const
{
    return contains(version) ? m_steps.at(version).changes : QList<FieldChange> {};
}

FieldBlame StreamHistory::blameOf(const QString& path, const Field& field) const
{
    FieldBlame blame;
    blame.path = path;
    blame.value = field.value;
    if (field.origin >= 0) {
        const HistoryStep& step = m_steps.at(field.origin);
        blame.version = step.version;
        blame.position = step.position;
        blame.eventType = step.eventType;
        blame.eventId = step.eventId;
        blame.recordedAt = step.recordedAt;
    }
    return blame;
}

QList<FieldBlame> StreamHistory::blameAt(StreamVersion version) const
{
    const Fields fields = fieldsAt(version);
    QList<FieldBlame> blames;
    blames.reserve(qsizetype(fields.size()));
    for (const auto& [path, field] : fields)
        blames.append(blameOf(path, field));
    return blames;
}

std::optional<FieldBlame> StreamHistory::blame(StreamVersion version, const QString& path) const
{
    const Fields fields = fieldsAt(version);
    const auto it = fields.find(path);
    if (it == fields.end())
        return std::nullopt;
    return blameOf(path, it->second);
}

QString StreamHistory::pathOf(const QStringList& keys)
{
    QString path;
    for (const QString& key : keys)
        path = childPath(path, key);
    return path;
}

QStringList StreamHistory::keysOf(const QString& path)
{
    QStringList keys;
    if (path.isEmpty())
        return keys;
    qsizetype from = 0;
    for (;;) {
        const qsizetype separator = nextSeparator(path, from);
        keys.append(unescapeKey(QStringView(path).mid(from, separator < 0 ? -1 : separator - from)));
        if (separator < 0)
            return keys;
        from = separator + 1;
    }
}

} // namespace EventScope
