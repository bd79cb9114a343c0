// SPDX-License-Identifier: Apache-2.0
#include "configloader.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QLoggingCategory>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace EventScope {

namespace {

Q_LOGGING_CATEGORY(lcConfig, "eventscope.core.config")

using Duration = AppConfig::Duration;

// Every key the schema knows, as full paths. Sections derive their known keys from this list, and
// "did you mean" hints look here for keys written at the wrong level.
constexpr std::string_view schemaPaths[] = {
    "eventstore",
    "eventstore.type",
    "eventstore.connection",
    "eventstore.options",
    "eventstore.options.max_connections",
    "eventstore.options.timeout",
    "eventstore.options.synchronous",
    "eventstore.options.busy_timeout",
    "eventstore.options.poll_interval",
    "eventstore.options.max_payload_bytes",
    "eventstore.options.schema",
    "snapshots",
    "snapshots.enabled",
    "snapshots.frequency",
    "snapshots.cleanup_interval",
    "snapshots.retain",
    "projections",
    "projections.batch_size",
    "projections.poll_interval",
    "resilience",
    "resilience.circuit_breaker",
    "resilience.circuit_breaker.name",
    "resilience.circuit_breaker.failure_ratio",
    "resilience.circuit_breaker.request_volume",
    "resilience.circuit_breaker.sleep_window",
    "resilience.circuit_breaker.success_threshold",
    "resilience.retry",
    "resilience.retry.max_attempts",
    "resilience.retry.initial_delay",
    "resilience.retry.max_delay",
    "resilience.retry.backoff_factor",
    "resilience.retry.jitter",
    "resilience.bulkhead",
    "resilience.bulkhead.name",
    "resilience.bulkhead.max_requests",
    "resilience.bulkhead.queue_size",
    "resilience.bulkhead.timeout",
    "resilience.timeout",
    "resilience.timeout.duration",
    "monitoring",
    "monitoring.metrics",
    "monitoring.metrics.provider",
    "monitoring.metrics.interval",
    "monitoring.metrics.prometheus",
    "monitoring.metrics.prometheus.listen_addr",
    "monitoring.metrics.prometheus.path",
    "monitoring.health",
    "monitoring.health.check_interval",
    "monitoring.health.timeout",
    "alerts",
    "alerts.enabled",
    "alerts.evaluation_interval",
    "alerts.hysteresis",
    "alerts.history_size",
    "alerts.projection_lag",
    "alerts.projection_lag.events",
    "alerts.projection_lag.time",
    "alerts.circuit_breaker",
    "alerts.circuit_breaker.open",
    "alerts.circuit_breaker.open_for",
    "alerts.command_errors",
    "alerts.command_errors.ratio",
    "alerts.command_errors.window",
    "alerts.command_errors.min_commands",
    "alerts.command_errors.outcomes",
    "alerts.store_latency",
    "alerts.store_latency.p95",
    "alerts.store_latency.p99",
    "alerts.store_latency.window",
    "alerts.store_latency.min_calls",
    "gui",
    "gui.role",
    "logging",
    "logging.level",
    "logging.file",
    "logging.max_file_size",
    "logging.max_files",
};

std::string joinPath(std::string_view parent, std::string_view key)
{
    if (parent.empty())
        return std::string(key);
    std::string result(parent);
    result += '.';
    result += key;
    return result;
}

std::string_view lastComponent(std::string_view path)
{
    const auto dot = path.rfind('.');
    return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

std::string toLower(std::string_view text)
{
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
        [](unsigned char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : char(c); });
    return result;
}

int editDistance(std::string_view a, std::string_view b)
{
    std::vector<int> previous(b.size() + 1);
    std::vector<int> current(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        previous[j] = int(j);
    for (size_t i = 1; i <= a.size(); ++i) {
        current[0] = int(i);
        for (size_t j = 1; j <= b.size(); ++j) {
            const int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({ previous[j] + 1, current[j - 1] + 1, substitution });
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

QString fromStd(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

QString formatDuration(Duration duration)
{
    const auto ms = duration.count();
    if (ms != 0 && ms % 1000 == 0)
        return QString::number(ms / 1000) + u's';
    return QString::number(ms) + u"ms";
}

// One number-with-unit parser for durations (Go syntax) and byte sizes.
struct NumberToken {
    QStringView integerDigits;
    QStringView fractionDigits;
    bool hasPoint = false;
};

// Reads "[digits][.digits]" from text at position; false when there is no digit at all.
bool readNumber(QStringView text, qsizetype& position, NumberToken& token)
{
    const qsizetype start = position;
    while (position < text.size() && text[position].isDigit() && text[position].unicode() < 128)
        ++position;
    token.integerDigits = text.mid(start, position - start);
    token.hasPoint = false;
    token.fractionDigits = {};
    if (position < text.size() && text[position] == u'.') {
        token.hasPoint = true;
        ++position;
        const qsizetype fractionStart = position;
        while (position < text.size() && text[position].isDigit() && text[position].unicode() < 128)
            ++position;
        token.fractionDigits = text.mid(fractionStart, position - fractionStart);
    }
    return !token.integerDigits.isEmpty() || !token.fractionDigits.isEmpty();
}

// Exact value of the token times unit (both non-negative); nullopt on overflow past the limit.
std::optional<long double> scaled(const NumberToken& token, long double unit, long double limit)
{
    long double value = 0;
    for (QChar digit : token.integerDigits) {
        value = value * 10 + (digit.unicode() - u'0');
        if (value * unit > limit)
            return std::nullopt;
    }
    long double scale = 1;
    for (QChar digit : token.fractionDigits) {
        scale /= 10;
        value += (digit.unicode() - u'0') * scale;
    }
    const long double result = value * unit;
    if (result > limit)
        return std::nullopt;
    return result;
}

} // namespace

std::optional<std::chrono::milliseconds> ConfigLoader::parseDuration(QStringView text)
{
    text = text.trimmed();
    if (text.startsWith(u'+'))
        text = text.mid(1);
    if (text.isEmpty())
        return std::nullopt;
    if (text == u"0")
        return std::chrono::milliseconds(0);

    constexpr long double limitNs = static_cast<long double>(std::numeric_limits<qint64>::max());
    long double totalNs = 0;
    qsizetype position = 0;
    while (position < text.size()) {
        NumberToken number;
        if (!readNumber(text, position, number))
            return std::nullopt;
        const qsizetype unitStart = position;
        while (position < text.size() && !text[position].isDigit() && text[position] != u'.')
            ++position;
        const QStringView unit = text.mid(unitStart, position - unitStart);
        long double unitNs = 0;
        if (unit == u"ns")
            unitNs = 1;
        else if (unit == u"us" || unit == u"\u00b5s" || unit == u"\u03bcs")
            unitNs = 1e3L;
        else if (unit == u"ms")
            unitNs = 1e6L;
        else if (unit == u"s")
            unitNs = 1e9L;
        else if (unit == u"m")
            unitNs = 60e9L;
        else if (unit == u"h")
            unitNs = 3600e9L;
        else
            return std::nullopt;
        const auto part = scaled(number, unitNs, limitNs);
        if (!part || totalNs + *part > limitNs)
            return std::nullopt;
        totalNs += *part;
    }
    const auto ms = static_cast<qint64>(std::llround(totalNs / 1e6L));
    if (ms == 0 && totalNs > 0)
        return std::nullopt; // below what we can represent: refuse rather than silently turn it into 0
    return std::chrono::milliseconds(ms);
}

std::optional<qint64> ConfigLoader::parseByteSize(QStringView text)
{
    text = text.trimmed();
    if (text.startsWith(u'+'))
        text = text.mid(1);
    qsizetype position = 0;
    NumberToken number;
    if (!readNumber(text, position, number))
        return std::nullopt;
    const QString unit = text.mid(position).trimmed().toString().toLower();
    long double factor = 0;
    if (unit.isEmpty() || unit == u"b")
        factor = 1;
    else if (unit == u"kb")
        factor = 1e3L;
    else if (unit == u"mb")
        factor = 1e6L;
    else if (unit == u"gb")
        factor = 1e9L;
    else if (unit == u"kib")
        factor = 1024.0L;
    else if (unit == u"mib")
        factor = 1024.0L * 1024;
    else if (unit == u"gib")
        factor = 1024.0L * 1024 * 1024;
    else
        return std::nullopt;
    const auto bytes = scaled(number, factor, static_cast<long double>(std::numeric_limits<qint64>::max() / 2));
    if (!bytes)
        return std::nullopt;
    // A fraction of a byte means a typo, not a size.
    if (std::fabs(*bytes - std::round(*bytes)) > 1e-6L)
        return std::nullopt;
    return static_cast<qint64>(std::llround(*bytes));
}

namespace {

// Walks the YAML tree section by section, collecting every error and warning with its position.
class ConfigParser {
    Q_DECLARE_TR_FUNCTIONS(EventScope::ConfigLoader)

public:
    explicit ConfigParser(QString sourceName)
        : m_source(std::move(sourceName))
    {
    }

    ConfigLoadResult parse(const QByteArray& yaml);

private:
    // One key of a mapping as found in the file. Never assign a YAML::Node (nor an Entry): assignment
    // writes through to the node it refers to, in the tree, instead of rebinding. Copy-construct instead.
    struct Entry {
        Entry(std::string path, const YAML::Node& value, const YAML::Mark& keyMark)
            : path(std::move(path))
            , value(value)
            , keyMark(keyMark)
        {
        }
        Entry(const Entry&) = default;
        Entry& operator=(const Entry&) = delete;

        std::string path;
        YAML::Node value;
        YAML::Mark keyMark;

        // Where to point at for a problem with the value; empty values have no useful position of their own.
        YAML::Mark valueMark() const
        {
            const YAML::Mark mark = value.Mark();
            return value.IsNull() || mark.is_null() ? keyMark : mark;
        }
    };

    // The known keys of one mapping found in the file; unknown ones are reported when it is read.
    class Section {
    public:
        Section(ConfigParser& parser, const YAML::Node& node, std::string path);

        std::optional<Entry> take(std::string_view key);
        const std::string& path() const { return m_path; }

    private:
        std::string m_path;
        std::vector<Entry> m_entries;
        std::vector<bool> m_taken;
    };

    Section section(Section& parent, std::string_view key);

    QString where(const YAML::Mark& mark) const;
    void addError(const YAML::Mark& mark, const QString& text);
    void addWarning(const YAML::Mark& mark, const QString& text);
    void reportBadValue(const Entry& entry, const QString& found, const QString& expected);
    void reportBadValue(const Entry& entry, const QString& expected);
    static QString describe(const YAML::Node& node);
    std::optional<QString> scalarText(const Entry& entry, const QString& expected);

    void readInt(
        Section& section, std::string_view key, int& out, int minimum, int maximum = std::numeric_limits<int>::max());
    void readDouble(Section& section, std::string_view key, double& out, double minimum, double maximum);
    void readBool(Section& section, std::string_view key, bool& out);
    void readDuration(Section& section, std::string_view key, Duration& out, Duration minimum);
    void readByteSize(Section& section, std::string_view key, qint64& out);
    void readText(Section& section, std::string_view key, QString& out);
    template <typename Value>
    void readChoice(Section& section, std::string_view key, Value& out,
        std::initializer_list<std::pair<QStringView, Value>> choices, const QString& expected);

    void readEventStore(Section& root);
    void readSnapshots(Section& root);
    void readProjections(Section& root);
    void readGui(Section& root);
    void readResilience(Section& root);
    void readMonitoring(Section& root);
    void readAlerts(Section& root);
    void readLogging(Section& root);

    QString m_source;
    AppConfig m_config;
    QStringList m_errors;
    QStringList m_warnings;
    // Positions of values that were read, for checks that involve two keys.
    QHash<QString, YAML::Mark> m_marks;
};

ConfigParser::Section::Section(ConfigParser& parser, const YAML::Node& node, std::string path)
    : m_path(std::move(path))
{
    std::vector<std::string_view> known;
    for (std::string_view candidate : schemaPaths) {
        const std::string_view prefix = m_path;
        if (prefix.empty()) {
            if (candidate.find('.') == std::string_view::npos)
                known.push_back(candidate);
        } else if (candidate.size() > prefix.size() + 1 && candidate.substr(0, prefix.size()) == prefix
            && candidate[prefix.size()] == '.' && candidate.find('.', prefix.size() + 1) == std::string_view::npos) {
            known.push_back(candidate.substr(prefix.size() + 1));
        }
    }

    for (auto it = node.begin(); it != node.end(); ++it) {
        // Copies: the iterator hands out a temporary pair.
        const YAML::Node keyNode = it->first;
        const YAML::Node valueNode = it->second;
        if (!keyNode.IsScalar()) {
            parser.addWarning(keyNode.Mark(),
                tr("a key in %1 is not plain text and is ignored.")
                    .arg(m_path.empty() ? tr("the top level") : fromStd(m_path)));
            continue;
        }
        const std::string& key = keyNode.Scalar();
        const std::string fullPath = joinPath(m_path, key);
        if (std::find(known.begin(), known.end(), std::string_view(key)) == known.end()) {
            // Prefer a close spelling at the same level, then the same key in another section.
            std::string suggestion;
            int best = 3;
            const std::string lowered = toLower(key);
            for (auto candidate : known) {
                const int distance = editDistance(lowered, candidate);
                if (distance < best && distance < int(candidate.size())) {
                    best = distance;
                    suggestion = joinPath(m_path, candidate);
                }
            }
            if (suggestion.empty()) {
                // Written at the wrong level? Only suggest when it is clear where it belongs.
                std::vector<std::string_view> anywhere;
                std::vector<std::string_view> below;
                for (std::string_view candidate : schemaPaths) {
                    if (lastComponent(candidate) != lowered)
                        continue;
                    anywhere.push_back(candidate);
                    if (m_path.empty() || candidate.substr(0, m_path.size() + 1) == m_path + '.')
                        below.push_back(candidate);
                }
                if (anywhere.size() == 1)
                    suggestion = anywhere.front();
                else if (below.size() == 1)
                    suggestion = below.front();
            }
            if (suggestion.empty())
                parser.addWarning(keyNode.Mark(), tr("unknown key %1 is ignored.").arg(fromStd(fullPath)));
            else
                parser.addWarning(keyNode.Mark(),
                    tr("unknown key %1 is ignored; did you mean %2?").arg(fromStd(fullPath), fromStd(suggestion)));
            continue;
        }
        const auto duplicate = std::find_if(
            m_entries.begin(), m_entries.end(), [&](const Entry& entry) { return entry.path == fullPath; });
        if (duplicate != m_entries.end()) {
            parser.addError(keyNode.Mark(),
                tr("%1 is set twice (also on line %2); keep one of them.")
                    .arg(fromStd(fullPath))
                    .arg(duplicate->keyMark.line + 1));
            continue;
        }
        m_entries.push_back(Entry { fullPath, valueNode, keyNode.Mark() });
        m_taken.push_back(false);
    }
}

std::optional<ConfigParser::Entry> ConfigParser::Section::take(std::string_view key)
{
    const std::string fullPath = joinPath(m_path, key);
    Q_ASSERT_X(std::find(std::begin(schemaPaths), std::end(schemaPaths), fullPath) != std::end(schemaPaths),
        "ConfigParser::Section::take", "key missing from schemaPaths");
    for (size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].path == fullPath && !m_taken[i]) {
            m_taken[i] = true;
            return std::optional<Entry>(std::in_place, m_entries[i]);
        }
    }
    return std::nullopt;
}

ConfigParser::Section ConfigParser::section(Section& parent, std::string_view key)
{
    const auto entry = parent.take(key);
    const std::string path = joinPath(parent.path(), key);
    if (!entry || entry->value.IsNull()) // a section whose keys are all commented out keeps its defaults
        return Section(*this, YAML::Node(), path);
    if (!entry->value.IsMap()) {
        reportBadValue(*entry, tr("a mapping of keys (indented lines below %1:)").arg(fromStd(key)));
        return Section(*this, YAML::Node(), path);
    }
    return Section(*this, entry->value, path);
}

QString ConfigParser::where(const YAML::Mark& mark) const
{
    if (mark.is_null())
        return m_source;
    return QStringLiteral("%1:%2:%3").arg(m_source).arg(mark.line + 1).arg(mark.column + 1);
}

void ConfigParser::addError(const YAML::Mark& mark, const QString& text)
{
    m_errors.append(where(mark) + u": " + text);
}

void ConfigParser::addWarning(const YAML::Mark& mark, const QString& text)
{
    m_warnings.append(where(mark) + u": " + text);
}

QString ConfigParser::describe(const YAML::Node& node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map:
        return tr("a mapping");
    case YAML::NodeType::Sequence:
        return tr("a list");
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return tr("empty");
    case YAML::NodeType::Scalar:
        break;
    }
    QString text = QString::fromStdString(node.Scalar());
    if (text.size() > 40)
        text = text.left(37) + u"...";
    return u'"' + text + u'"';
}

void ConfigParser::reportBadValue(const Entry& entry, const QString& found, const QString& expected)
{
    addError(entry.valueMark(), tr("%1 is %2; expected %3.").arg(fromStd(entry.path), found, expected));
}

void ConfigParser::reportBadValue(const Entry& entry, const QString& expected)
{
    if (entry.value.IsNull()) {
        addError(entry.valueMark(),
            tr("%1 has no value; expected %2 (or remove the key to use the default).")
                .arg(fromStd(entry.path), expected));
        return;
    }
    reportBadValue(entry, describe(entry.value), expected);
}

std::optional<QString> ConfigParser::scalarText(const Entry& entry, const QString& expected)
{
    m_marks.insert(fromStd(entry.path), entry.valueMark());
    if (!entry.value.IsScalar()) {
        reportBadValue(entry, expected);
        return std::nullopt;
    }
    return QString::fromStdString(entry.value.Scalar()).trimmed();
}

void ConfigParser::readInt(Section& section, std::string_view key, int& out, int minimum, int maximum)
{
    const auto entry = section.take(key);
    if (!entry)
        return;
    QString expected;
    if (maximum != std::numeric_limits<int>::max())
        expected = tr("a whole number from %1 to %2").arg(minimum).arg(maximum);
    else if (minimum != std::numeric_limits<int>::min())
        expected = tr("a whole number of at least %1").arg(minimum);
    else
        expected = tr("a whole number");
    const auto text = scalarText(*entry, expected);
    if (!text)
        return;
    bool ok = false;
    const qlonglong value = text->toLongLong(&ok, 10);
    if (!ok || value < minimum || value > maximum) {
        reportBadValue(*entry, expected);
        return;
    }
    out = int(value);
}

void ConfigParser::readDouble(Section& section, std::string_view key, double& out, double minimum, double maximum)
{
    const auto entry = section.take(key);
    if (!entry)
        return;
    const QString expected = maximum == std::numeric_limits<double>::max()
        ? tr("a number of at least %1").arg(minimum)
        : tr("a number from %1 to %2").arg(minimum).arg(maximum);
    const auto text = scalarText(*entry, expected);
    if (!text)
        return;
    bool ok = false;
    const double value = text->toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < minimum || value > maximum) {
        reportBadValue(*entry, expected);
        return;
    }
    out = value;
}

void ConfigParser::readBool(Section& section, std::string_view key, bool& out)
{
    const auto entry = section.take(key);
    if (!entry)
        return;
    const QString expected = tr("true or false");
    const auto text = scalarText(*entry, expected);
    if (!text)
        return;
    const QString lowered = text->toLower();
    if (lowered == u"true" || lowered == u"yes" || lowered == u"on")
        out = true;
    else if (lowered == u"false" || lowered == u"no" || lowered == u"off")
        out = false;
    else
        reportBadValue(*entry, expected);
}

void ConfigParser::readDuration(Section& section, std::string_view key, Duration& out, Duration minimum)
{
    const auto entry = section.take(key);
    if (!entry)
        return;
    QString expected = tr("a duration such as 30s or 100ms");
    if (minimum > Duration::zero())
        expected = tr("a duration such as 30s or 100ms, of at least %1").arg(formatDuration(minimum));
    const auto text = scalarText(*entry, expected);
    if (!text)
        return;
    const auto value = ConfigLoader::parseDuration(*text);
    if (!value || *value < minimum) {
        if (!value && !text->isEmpty() && text->at(text->size() - 1).isDigit())
            expected += tr(" (a number needs a unit: ns, us, ms, s, m or h)");
        reportBadValue(*entry, expected);
        return;
    }
    out = *value;
}

void ConfigParser::readByteSize(Section& section, std::string_view key, qint64& out)
{
    const auto entry = section.take(key);
    if (!entry)
        return;
    const QString expected = tr("a size above zero, such as 1048576, 512KiB or 1MiB");
    const auto text = scalarText(*entry, expected);
    if (!text)
        return;
    const auto value = ConfigLoader::parseByteSize(*text);
    if (!value || *value <= 0) {
        reportBadValue(*entry, expected);
        return;
    }
    out = *value;
}

void ConfigParser::readText(Section& section, std::string_view key, QString& out)
{
    const auto entry = section.take(key);
    if (!entry)
        return;
    const QString expected = tr("non-empty text");
    const auto text = scalarText(*entry, expected);
    if (!text)
        return;
    if (text->isEmpty()) {
        reportBadValue(*entry, expected);
        return;
    }
    out = *text;
}

template <typename Value>
void ConfigParser::readChoice(Section& section, std::string_view key, Value& out,
    std::initializer_list<std::pair<QStringView, Value>> choices, const QString& expected)
{
    const auto entry = section.take(key);
    if (!entry)
        return;
    const auto text = scalarText(*entry, expected);
    if (!text)
        return;
    for (const auto& [name, value] : choices) {
        if (text->compare(name, Qt::CaseInsensitive) == 0) {
            out = value;
            return;
        }
    }
    reportBadValue(*entry, expected);
}

void ConfigParser::readEventStore(Section& root)
{
    Section eventStore = section(root, "eventstore");
    StoreSettings& settings = m_config.eventStore;

    using Backend = StoreSettings::Backend;
    const auto typeEntry = eventStore.take("type");
    if (typeEntry) {
        const QString expected = tr("sqlite or postgres");
        if (const auto text = scalarText(*typeEntry, expected)) {
            const QString lowered = text->toLower();
            if (lowered == u"sqlite" || lowered == u"sqlite3")
                settings.backend = Backend::Sqlite;
            else if (lowered == u"postgres" || lowered == u"postgresql")
                settings.backend = Backend::Postgres;
            else
                reportBadValue(*typeEntry, expected);
        }
    }

    const auto connectionEntry = eventStore.take("connection");
    if (connectionEntry) {
        const QString expected = settings.backend == Backend::Postgres
            ? tr("a PostgreSQL URL such as postgres://user:pass@localhost/events or a string such as "
                 "\"host=localhost dbname=events\"")
            : tr("a SQLite database file path, or :memory:");
        if (const auto text = scalarText(*connectionEntry, expected)) {
            if (text->isEmpty())
                reportBadValue(*connectionEntry, expected);
            else
                settings.connection = *text;
        }
    } else if (settings.backend == Backend::Postgres) {
        // The SQLite default file name means nothing to PostgreSQL; guessing a server would be worse.
        addError(typeEntry ? typeEntry->keyMark : YAML::Mark::null_mark(),
            tr("eventstore.connection is missing; with type postgres it is required, for example "
               "connection: \"postgres://user:pass@localhost/events\"."));
    }

    Section options = section(eventStore, "options");
    readInt(options, "max_connections", settings.maxConnections, 1);
    readDuration(options, "timeout", settings.connectTimeout, Duration(1));
    readChoice<StoreSettings::SqliteSync>(options, "synchronous", settings.sqliteSynchronous,
        { { u"full", StoreSettings::SqliteSync::Full }, { u"normal", StoreSettings::SqliteSync::Normal } },
        tr("full or normal"));
    readDuration(options, "busy_timeout", settings.busyTimeout, Duration(0));
    readDuration(options, "poll_interval", settings.pollInterval, Duration(1));
    readByteSize(options, "max_payload_bytes", settings.maxPayloadBytes);

    if (const auto schemaEntry = options.take("schema")) {
        const QString expected = tr("a PostgreSQL schema name (letters, digits and _, not starting with a digit, "
                                    "at most 63 characters)");
        if (const auto text = scalarText(*schemaEntry, expected)) {
            const bool valid = !text->isEmpty() && text->size() <= 63 && !text->at(0).isDigit()
                && std::all_of(text->cbegin(), text->cend(),
                    [](QChar c) { return c == u'_' || (c.unicode() < 128 && c.isLetterOrNumber()); });
            if (valid)
                settings.postgresSchema = *text;
            else
                reportBadValue(*schemaEntry, expected);
        }
    }
}

void ConfigParser::readSnapshots(Section& root)
{
    Section snapshots = section(root, "snapshots");
    auto& config = m_config.snapshots;
    readBool(snapshots, "enabled", config.enabled);
    readInt(snapshots, "frequency", config.frequency, 1);
    readDuration(snapshots, "cleanup_interval", config.cleanupInterval, Duration(1));
    readInt(snapshots, "retain", config.retain, 1);
}

void ConfigParser::readGui(Section& root)
{
    Section gui = section(root, "gui");
    std::optional<Role> role;
    readChoice(gui, "role", role,
        { { u"auditor", std::optional<Role>(Role::Auditor) }, { u"support", std::optional<Role>(Role::Support) },
            { u"developer", std::optional<Role>(Role::Developer) } },
        tr("auditor, support or developer"));
    if (role)
        m_config.gui.role = role;
}

void ConfigParser::readProjections(Section& root)
{
    Section projections = section(root, "projections");
    auto& config = m_config.projections;
    readInt(projections, "batch_size", config.batchSize, 1, 100000);
    readDuration(projections, "poll_interval", config.pollInterval, Duration(10));
}

void ConfigParser::readResilience(Section& root)
{
    Section resilience = section(root, "resilience");
    auto& config = m_config.resilience;

    Section breaker = section(resilience, "circuit_breaker");
    readText(breaker, "name", config.circuitBreaker.name);
    readDouble(breaker, "failure_ratio", config.circuitBreaker.failureRatio, 0.0, 1.0);
    readInt(breaker, "request_volume", config.circuitBreaker.requestVolume, 1);
    readDuration(breaker, "sleep_window", config.circuitBreaker.sleepWindow, Duration(1));
    readInt(breaker, "success_threshold", config.circuitBreaker.successThreshold, 1);

    Section retry = section(resilience, "retry");
    readInt(retry, "max_attempts", config.retry.maxAttempts, 1);
    readDuration(retry, "initial_delay", config.retry.initialDelay, Duration(0));
    readDuration(retry, "max_delay", config.retry.maxDelay, Duration(0));
    readDouble(retry, "backoff_factor", config.retry.backoffFactor, 1.0, std::numeric_limits<double>::max());
    readBool(retry, "jitter", config.retry.jitter);
    if (config.retry.maxDelay < config.retry.initialDelay) {
        const QString key = m_marks.contains(QStringLiteral("resilience.retry.max_delay"))
            ? QStringLiteral("resilience.retry.max_delay")
            : QStringLiteral("resilience.retry.initial_delay");
        addError(m_marks.value(key, YAML::Mark::null_mark()),
            tr("resilience.retry.max_delay (%1) is shorter than resilience.retry.initial_delay (%2); "
               "raise max_delay or lower initial_delay.")
                .arg(formatDuration(config.retry.maxDelay), formatDuration(config.retry.initialDelay)));
    }

    Section bulkhead = section(resilience, "bulkhead");
    readText(bulkhead, "name", config.bulkhead.name);
    readInt(bulkhead, "max_requests", config.bulkhead.maxRequests, 1);
    readInt(bulkhead, "queue_size", config.bulkhead.queueSize, 0);
    readDuration(bulkhead, "timeout", config.bulkhead.timeout, Duration(0));

    Section timeout = section(resilience, "timeout");
    readDuration(timeout, "duration", config.timeout.duration, Duration(1));
}

void ConfigParser::readMonitoring(Section& root)
{
    Section monitoring = section(root, "monitoring");
    auto& config = m_config.monitoring;

    Section metrics = section(monitoring, "metrics");
    using Provider = AppConfig::Metrics::Provider;
    readChoice<Provider>(metrics, "provider", config.metrics.provider,
        { { u"inmemory", Provider::InMemory }, { u"prometheus", Provider::Prometheus } }, tr("inmemory or prometheus"));
    readDuration(metrics, "interval", config.metrics.interval, Duration(1));

    Section prometheus = section(metrics, "prometheus");
    if (const auto entry = prometheus.take("listen_addr")) {
        const QString expected = tr("an address such as :9090 or 127.0.0.1:9090");
        if (const auto text = scalarText(*entry, expected)) {
            const qsizetype colon = text->lastIndexOf(u':');
            bool portOk = false;
            const int port = colon < 0 ? 0 : text->mid(colon + 1).toInt(&portOk);
            if (portOk && port > 0 && port <= 65535)
                config.metrics.prometheusListenAddress = *text;
            else
                reportBadValue(*entry, expected);
        }
    }
    if (const auto entry = prometheus.take("path")) {
        const QString expected = tr("an HTTP path starting with /, such as /metrics");
        if (const auto text = scalarText(*entry, expected)) {
            if (text->startsWith(u'/') && !text->contains(u' '))
                config.metrics.prometheusPath = *text;
            else
                reportBadValue(*entry, expected);
        }
    }

    Section health = section(monitoring, "health");
    readDuration(health, "check_interval", config.health.checkInterval, Duration(1));
    readDuration(health, "timeout", config.health.timeout, Duration(1));
    if (config.health.timeout > config.health.checkInterval) {
        addWarning(m_marks.value(QStringLiteral("monitoring.health.timeout"), YAML::Mark::null_mark()),
            tr("monitoring.health.timeout (%1) is longer than monitoring.health.check_interval (%2), so "
               "checks can overlap; lower the timeout or raise the interval.")
                .arg(formatDuration(config.health.timeout), formatDuration(config.health.checkInterval)));
    }
}

void ConfigParser::readAlerts(Section& root)
{
    Section alerts = section(root, "alerts");
    auto& config = m_config.alerts;
    readBool(alerts, "enabled", config.enabled);
    readDuration(alerts, "evaluation_interval", config.evaluationInterval, Duration(100));
    readDouble(alerts, "hysteresis", config.hysteresis, 0.0, 0.99);
    readInt(alerts, "history_size", config.historySize, 1, 100000);

    Section lag = section(alerts, "projection_lag");
    readInt(lag, "events", config.projectionLag.events, 0);
    readDuration(lag, "time", config.projectionLag.time, Duration(0));

    Section breaker = section(alerts, "circuit_breaker");
    readBool(breaker, "open", config.circuitBreaker.open);
    readDuration(breaker, "open_for", config.circuitBreaker.openFor, Duration(0));

    Section errors = section(alerts, "command_errors");
    readDouble(errors, "ratio", config.commandErrors.ratio, 0.0, 1.0);
    readDuration(errors, "window", config.commandErrors.window, Duration(1000));
    readInt(errors, "min_commands", config.commandErrors.minCommands, 1);
    if (const auto entry = errors.take("outcomes")) {
        static const QStringList known = { QStringLiteral("validation"), QStringLiteral("unauthorized"),
            QStringLiteral("conflict"), QStringLiteral("domain-rule-violated"), QStringLiteral("store-unavailable"),
            QStringLiteral("unknown-command"), QStringLiteral("handler-failed") };
        const QString expected = tr("a list of command outcomes from %1").arg(known.join(QLatin1String(", ")));
        m_marks.insert(fromStd(entry->path), entry->valueMark());
        if (!entry->value.IsSequence() || entry->value.size() == 0) {
            reportBadValue(*entry, expected);
        } else {
            QStringList outcomes;
            bool valid = true;
            for (auto it = entry->value.begin(); it != entry->value.end(); ++it) {
                const YAML::Node item = *it; // a copy, never assigned (see Entry)
                const QString name
                    = item.IsScalar() ? QString::fromStdString(item.Scalar()).trimmed().toLower() : QString();
                if (!known.contains(name)) {
                    addError(item.Mark(),
                        tr("%1 lists %2, which is not a command outcome; expected one of %3.")
                            .arg(fromStd(entry->path), describe(item), known.join(QLatin1String(", "))));
                    valid = false;
                } else if (!outcomes.contains(name)) {
                    outcomes << name;
                }
            }
            if (valid)
                config.commandErrors.outcomes = outcomes;
        }
    }

    Section latency = section(alerts, "store_latency");
    readDuration(latency, "p95", config.storeLatency.p95, Duration(0));
    readDuration(latency, "p99", config.storeLatency.p99, Duration(0));
    readDuration(latency, "window", config.storeLatency.window, Duration(1000));
    readInt(latency, "min_calls", config.storeLatency.minCalls, 1);

    // A window shorter than the evaluation interval would compare samples that are further apart than the window.
    const auto checkWindow = [&](const char* key, Duration window) {
        if (config.enabled && window < config.evaluationInterval) {
            addError(m_marks.value(QString::fromLatin1(key), YAML::Mark::null_mark()),
                tr("%1 (%2) is shorter than alerts.evaluation_interval (%3); make the window at least as long as "
                   "the interval.")
                    .arg(QString::fromLatin1(key), formatDuration(window), formatDuration(config.evaluationInterval)));
        }
    };
    checkWindow("alerts.command_errors.window", config.commandErrors.window);
    checkWindow("alerts.store_latency.window", config.storeLatency.window);
}

void ConfigParser::readLogging(Section& root)
{
    Section logging = section(root, "logging");
    auto& config = m_config.logging;
    readChoice<QString>(logging, "level", config.level,
        { { u"trace", QStringLiteral("trace") }, { u"debug", QStringLiteral("debug") },
            { u"info", QStringLiteral("info") }, { u"warn", QStringLiteral("warn") },
            { u"warning", QStringLiteral("warn") }, { u"error", QStringLiteral("error") },
            { u"critical", QStringLiteral("critical") }, { u"off", QStringLiteral("off") } },
        tr("one of trace, debug, info, warn, error, critical, off"));
    readBool(logging, "file", config.toFile);
    readByteSize(logging, "max_file_size", config.maxFileSize);
    readInt(logging, "max_files", config.maxFiles, 0, 1000);
}

ConfigLoadResult ConfigParser::parse(const QByteArray& yaml)
{
    ConfigLoadResult result;
    const YAML::Node root = [&] {
        try {
            return YAML::Load(std::string(yaml.constData(), size_t(yaml.size())));
        } catch (const YAML::Exception& exception) {
            addError(exception.mark,
                tr("the file is not valid YAML: %1. Check the indentation and quoting on this line and the one "
                   "before.")
                    .arg(QString::fromStdString(exception.msg)));
            return YAML::Node();
        }
    }();

    if (m_errors.isEmpty() && !root.IsNull()) {
        if (!root.IsMap()) {
            addError(root.Mark(),
                tr("the configuration is %1; expected a mapping of sections such as eventstore:, snapshots:, "
                   "projections:, resilience:, monitoring: and logging:.")
                    .arg(describe(root)));
        } else {
            try {
                Section top(*this, root, std::string());
                readEventStore(top);
                readSnapshots(top);
                readProjections(top);
                readResilience(top);
                readMonitoring(top);
                readAlerts(top);
                readGui(top);
                readLogging(top);
            } catch (const YAML::Exception& exception) {
                // Node accessors only throw on misuse; report it instead of letting it escape.
                addError(exception.mark,
                    tr("cannot read the configuration: %1.").arg(QString::fromStdString(exception.msg)));
            }
        }
    }

    for (const QString& warning : std::as_const(m_warnings))
        qCWarning(lcConfig).noquote() << warning;
    result.warnings = m_warnings;
    if (m_errors.isEmpty())
        result.config = std::move(m_config);
    else
        result.error = m_errors.join(u'\n');
    return result;
}

} // namespace

ConfigLoadResult ConfigLoader::loadFile(const QString& path)
{
    ConfigLoadResult result;
    const QFileInfo info(path);
    if (!info.exists()) {
        result.error = ConfigParser::tr("Configuration file %1 does not exist. Check the path, or start from "
                                        "config.example.yaml.")
                           .arg(path);
        return result;
    }
    if (info.isDir()) {
        result.error
            = ConfigParser::tr("%1 is a directory, not a configuration file. Pass the path of a .yaml file.").arg(path);
        return result;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = ConfigParser::tr("Cannot read configuration file %1: %2. Check its permissions.")
                           .arg(path, file.errorString());
        return result;
    }
    return parse(file.readAll(), path);
}

ConfigLoadResult ConfigLoader::parse(const QByteArray& yaml, const QString& sourceName)
{
    return ConfigParser(sourceName).parse(yaml);
}

AppConfig ConfigLoader::defaults()
{
    return AppConfig {};
}

} // namespace EventScope
