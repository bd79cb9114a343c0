// SPDX-License-Identifier: Apache-2.0
// The Prometheus text exposition (0.0.4), read back by a small parser written from the format's description:
// HELP and TYPE lines, escaping round-trips, cumulative histogram buckets ending in +Inf, _sum and _count.
#include "monitoring/metricsregistry.h"
#include "monitoring/prometheusexposition.h"
#include "monitoring/standardmetrics.h"

#include <QTest>

#include <map>
#include <optional>

using namespace EventScope;
using namespace Qt::StringLiterals;

namespace {

struct Sample {
    QString name;
    std::map<QString, QString> labels;
    double value = 0;
};

struct Family {
    QString help;
    QString type;
    QList<Sample> samples;
};

struct Parsed {
    std::map<QString, Family> families;
    QString error; ///< empty when the text parsed

    const Sample* find(const QString& family, const QString& name, const std::map<QString, QString>& labels) const
    {
        const auto it = families.find(family);
        if (it == families.end())
            return nullptr;
        for (const Sample& sample : it->second.samples) {
            if (sample.name == name && sample.labels == labels)
                return &sample;
        }
        return nullptr;
    }
};

bool isNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u':';
}

std::optional<double> parseValue(const QString& text)
{
    if (text == u"+Inf"_s)
        return qInf();
    if (text == u"-Inf"_s)
        return -qInf();
    if (text == u"NaN"_s)
        return qQNaN();
    bool ok = false;
    const double value = text.toDouble(&ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

/// HELP text: \\ and \n are the only escapes.
QString unescapeHelp(const QString& text, QString* error)
{
    QString out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) != u'\\') {
            out += text.at(i);
            continue;
        }
        if (++i >= text.size()) {
            *error = u"HELP ends in a lone backslash"_s;
            return {};
        }
        if (text.at(i) == u'\\')
            out += u'\\';
        else if (text.at(i) == u'n')
            out += u'\n';
        else
            *error = u"unknown escape in HELP: \\"_s + text.at(i);
    }
    return out;
}

Parsed parse(const QByteArray& exposition)
{
    Parsed parsed;
    const QString text = QString::fromUtf8(exposition);
    if (!text.isEmpty() && !text.endsWith(u'\n')) {
        parsed.error = u"the exposition does not end with a newline"_s;
        return parsed;
    }
    QString currentFamily;
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    for (const QString& line : lines) {
        auto fail = [&](const QString& why) {
            parsed.error = why + u" in line: "_s + line;
            return parsed;
        };
        if (line.startsWith(u"# HELP "_s)) {
            const QString rest = line.mid(7);
            const qsizetype space = rest.indexOf(u' ');
            if (space <= 0)
                return fail(u"HELP without text"_s);
            currentFamily = rest.left(space);
            if (parsed.families.count(currentFamily))
                return fail(u"second HELP for a family"_s);
            parsed.families[currentFamily].help = unescapeHelp(rest.mid(space + 1), &parsed.error);
            if (!parsed.error.isEmpty())
                return parsed;
            continue;
        }
        if (line.startsWith(u"# TYPE "_s)) {
            const QStringList parts = line.mid(7).split(u' ');
            if (parts.size() != 2 || parts.at(0) != currentFamily)
                return fail(u"TYPE not right after its HELP"_s);
            if (!QStringList { u"counter"_s, u"gauge"_s, u"histogram"_s, u"summary"_s, u"untyped"_s }.contains(
                    parts.at(1)))
                return fail(u"unknown TYPE"_s);
            if (!parsed.families[currentFamily].samples.isEmpty())
                return fail(u"TYPE after samples"_s);
            parsed.families[currentFamily].type = parts.at(1);
            continue;
        }
        if (line.startsWith(u'#'))
            continue;

        Sample sample;
        qsizetype i = 0;
        while (i < line.size() && isNameChar(line.at(i)))
            ++i;
        sample.name = line.left(i);
        if (sample.name.isEmpty() || sample.name.at(0).isDigit())
            return fail(u"bad metric name"_s);
        if (i < line.size() && line.at(i) == u'{') {
            ++i;
            while (i < line.size() && line.at(i) != u'}') {
                const qsizetype nameStart = i;
                while (i < line.size() && isNameChar(line.at(i)) && line.at(i) != u':')
                    ++i;
                const QString labelName = line.mid(nameStart, i - nameStart);
                if (labelName.isEmpty() || line.mid(i, 2) != u"=\""_s)
                    return fail(u"bad label"_s);
                i += 2;
                QString value;
                bool closed = false;
                while (i < line.size()) {
                    const QChar c = line.at(i++);
                    if (c == u'"') {
                        closed = true;
                        break;
                    }
                    if (c != u'\\') {
                        value += c;
                        continue;
                    }
                    if (i >= line.size())
                        return fail(u"lone backslash in label value"_s);
                    const QChar escaped = line.at(i++);
                    if (escaped == u'\\')
                        value += u'\\';
                    else if (escaped == u'"')
                        value += u'"';
                    else if (escaped == u'n')
                        value += u'\n';
                    else
                        return fail(u"unknown escape in label value"_s);
                }
                if (!closed)
                    return fail(u"unterminated label value"_s);
                if (sample.labels.count(labelName))
                    return fail(u"label twice"_s);
                sample.labels[labelName] = value;
                if (i < line.size() && line.at(i) == u',')
                    ++i;
            }
            if (i >= line.size())
                return fail(u"unterminated label set"_s);
            ++i; // '}'
        }
        if (i >= line.size() || line.at(i) != u' ')
            return fail(u"no space before the value"_s);
        const QStringList rest = line.mid(i + 1).split(u' ');
        if (rest.isEmpty() || rest.size() > 2)
            return fail(u"expected a value and an optional timestamp"_s);
        const auto value = parseValue(rest.at(0));
        if (!value)
            return fail(u"bad value"_s);
        sample.value = *value;

        // A sample belongs to the family announced last: its name, or for histograms name_bucket/_sum/_count.
        const Family& family = parsed.families[currentFamily];
        const bool belongs = sample.name == currentFamily
            || (family.type == u"histogram"_s
                && (sample.name == currentFamily + u"_bucket"_s || sample.name == currentFamily + u"_sum"_s
                    || sample.name == currentFamily + u"_count"_s));
        if (!belongs)
            return fail(u"sample outside its family"_s);
        parsed.families[currentFamily].samples << sample;
    }
    return parsed;
}

} // namespace

class TestPrometheusExposition : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void countersAndGaugesReadBack()
    {
        MetricsRegistry registry;
        StandardMetrics metrics(registry);
        metrics.commandsExecuted.labels({ u"Deposit"_s, u"ok"_s }).increment(3);
        metrics.commandsExecuted.labels({ u"Withdraw"_s, u"conflict"_s }).increment();
        metrics.eventsAppended.increment(12345678901.0);
        metrics.circuitBreakerState.labels({ u"eventstore"_s }).set(StandardMetrics::BreakerHalfOpen);
        metrics.projectionLag.labels({ u"users"_s }).set(0.25);

        const Parsed parsed = parse(PrometheusExposition::render(registry));
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));
        QCOMPARE(parsed.families.size(), registry.names().size());
        QCOMPARE(parsed.families.at(u"commands_executed_total"_s).type, u"counter"_s);
        QCOMPARE(parsed.families.at(u"circuit_breaker_state"_s).type, u"gauge"_s);
        QCOMPARE(parsed.families.at(u"eventstore_read_duration_seconds"_s).type, u"histogram"_s);
        QCOMPARE(parsed.families.at(u"commands_executed_total"_s).help,
            registry.snapshot(u"commands_executed_total"_s)->help);

        const Sample* deposit = parsed.find(u"commands_executed_total"_s, u"commands_executed_total"_s,
            { { u"type"_s, u"Deposit"_s }, { u"outcome"_s, u"ok"_s } });
        QVERIFY(deposit);
        QCOMPARE(deposit->value, 3.0);
        const Sample* withdraw = parsed.find(u"commands_executed_total"_s, u"commands_executed_total"_s,
            { { u"type"_s, u"Withdraw"_s }, { u"outcome"_s, u"conflict"_s } });
        QVERIFY(withdraw);
        QCOMPARE(withdraw->value, 1.0);
        QCOMPARE(parsed.find(u"events_appended_total"_s, u"events_appended_total"_s, {})->value, 12345678901.0);
        QCOMPARE(
            parsed.find(u"circuit_breaker_state"_s, u"circuit_breaker_state"_s, { { u"name"_s, u"eventstore"_s } })
                ->value,
            1.0);
        QCOMPARE(parsed.find(u"projection_lag_events"_s, u"projection_lag_events"_s, { { u"name"_s, u"users"_s } }),
            nullptr);
        QCOMPARE(
            parsed.find(u"projection_lag_events"_s, u"projection_lag_events"_s, { { u"projection"_s, u"users"_s } })
                ->value,
            0.25);
    }

    void lineLayoutFollowsTheFormat()
    {
        MetricsRegistry registry;
        registry.counter(u"events_handled_total"_s, u"Events handled."_s).labels().increment(2);
        registry.gauge(u"bulkhead_in_use"_s, u"In use."_s, { u"name"_s }).labels({ u"store"_s }).set(4);
        const QByteArray text = PrometheusExposition::render(registry);
        QCOMPARE(text,
            QByteArray("# HELP bulkhead_in_use In use.\n"
                       "# TYPE bulkhead_in_use gauge\n"
                       "bulkhead_in_use{name=\"store\"} 4\n"
                       "# HELP events_handled_total Events handled.\n"
                       "# TYPE events_handled_total counter\n"
                       "events_handled_total 2\n"));
        QVERIFY(PrometheusExposition::contentType().startsWith("text/plain; version=0.0.4"));
    }

    void escapingRoundTrips_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("plain") << u"Deposit"_s;
        QTest::newRow("backslash") << u"C:\\temp\\new"_s;
        QTest::newRow("quote") << u"say \"hi\""_s;
        QTest::newRow("newline") << u"two\nlines"_s;
        QTest::newRow("all at once") << u"\\\"\n\\n\"\\"_s;
        QTest::newRow("braces and commas") << u"a},b=\"c\",{"_s;
        QTest::newRow("unicode") << QStringLiteral("Gr\u00fc\u00dfe \u2713 \U0001F600");
        QTest::newRow("empty") << QString();
        QTest::newRow("trailing backslash") << u"ends\\"_s;
    }

    void escapingRoundTrips()
    {
        QFETCH(QString, value);
        MetricsRegistry registry;
        const QString help = u"Help with \\ backslash, \"quotes\" and\na second line: "_s + value;
        registry.counter(u"x_total"_s, help, { u"a"_s, u"b"_s }).labels({ value, u"plain"_s }).increment(7);
        registry.histogram(u"y_seconds"_s, u"h"_s, { u"a"_s }, { 1.0 }).labels({ value }).observe(0.5);

        const QByteArray text = PrometheusExposition::render(registry);
        const Parsed parsed = parse(text);
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error + u"\n"_s + QString::fromUtf8(text)));
        QCOMPARE(parsed.families.at(u"x_total"_s).help, help);
        const Sample* sample = parsed.find(u"x_total"_s, u"x_total"_s, { { u"a"_s, value }, { u"b"_s, u"plain"_s } });
        QVERIFY2(sample, text.constData());
        QCOMPARE(sample->value, 7.0);
        QVERIFY(parsed.find(u"y_seconds"_s, u"y_seconds_bucket"_s, { { u"a"_s, value }, { u"le"_s, u"+Inf"_s } }));
        // One sample per line: no raw newline survives inside a line.
        QCOMPARE(text.count('\n'), qsizetype(2 + 1 + 2 + 2 + 2));
    }

    void helpEscapesOnlyBackslashAndNewline()
    {
        QCOMPARE(PrometheusExposition::escapeHelp(u"a\\b\n\"c\""_s), u"a\\\\b\\n\"c\""_s);
        QCOMPARE(PrometheusExposition::escapeLabelValue(u"a\\b\n\"c\""_s), u"a\\\\b\\n\\\"c\\\""_s);
    }

    void histogramsAreCumulativeWithInfSumAndCount()
    {
        MetricsRegistry registry;
        auto& family = registry.histogram(
            u"eventstore_append_duration_seconds"_s, u"Append latency."_s, { u"backend"_s }, { 0.005, 0.05, 0.5 });
        Histogram& sqlite = family.labels({ u"sqlite"_s });
        const QList<double> observations { 0.001, 0.005, 0.02, 0.3, 0.3, 2.0, 7.5 };
        double sum = 0;
        for (double value : observations) {
            sqlite.observe(value);
            sum += value;
        }
        family.labels({ u"postgres"_s }); // a series without observations

        const Parsed parsed = parse(PrometheusExposition::render(registry));
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));
        const QString name = u"eventstore_append_duration_seconds"_s;
        auto bucket = [&](const QString& backend, const QString& le) {
            const Sample* sample
                = parsed.find(name, name + u"_bucket"_s, { { u"backend"_s, backend }, { u"le"_s, le } });
            return sample ? sample->value : -1.0;
        };
        QCOMPARE(bucket(u"sqlite"_s, u"0.005"_s), 2.0);
        QCOMPARE(bucket(u"sqlite"_s, u"0.05"_s), 3.0);
        QCOMPARE(bucket(u"sqlite"_s, u"0.5"_s), 5.0);
        QCOMPARE(bucket(u"sqlite"_s, u"+Inf"_s), 7.0);
        QCOMPARE(parsed.find(name, name + u"_count"_s, { { u"backend"_s, u"sqlite"_s } })->value, 7.0);
        QVERIFY(qFuzzyCompare(parsed.find(name, name + u"_sum"_s, { { u"backend"_s, u"sqlite"_s } })->value, sum));
        QCOMPARE(bucket(u"postgres"_s, u"+Inf"_s), 0.0);
        QCOMPARE(parsed.find(name, name + u"_count"_s, { { u"backend"_s, u"postgres"_s } })->value, 0.0);

        // Buckets never decrease, and the order is bounds ascending then +Inf, per series.
        double previous = -1;
        int buckets = 0;
        for (const Sample& sample : parsed.families.at(name).samples) {
            if (sample.name != name + u"_bucket"_s || sample.labels.at(u"backend"_s) != u"sqlite"_s)
                continue;
            QVERIFY(sample.value >= previous);
            previous = sample.value;
            ++buckets;
        }
        QCOMPARE(buckets, 4);
    }

    void valuesAreWrittenExactly_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("integer") << 42.0 << u"42"_s;
        QTest::newRow("zero") << 0.0 << u"0"_s;
        QTest::newRow("fraction") << 0.1 << u"0.1"_s;
        QTest::newRow("negative") << -2.5 << u"-2.5"_s;
        QTest::newRow("+Inf") << qInf() << u"+Inf"_s;
        QTest::newRow("-Inf") << -qInf() << u"-Inf"_s;
        QTest::newRow("NaN") << qQNaN() << u"NaN"_s;
        QTest::newRow("big") << 9007199254740992.0 << u"9007199254740992"_s;
    }

    void valuesAreWrittenExactly()
    {
        QFETCH(double, value);
        QFETCH(QString, text);
        QCOMPARE(PrometheusExposition::formatValue(value), text);
        const auto back = parseValue(text);
        QVERIFY(back);
        if (qIsNaN(value))
            QVERIFY(qIsNaN(*back));
        else
            QCOMPARE(*back, value);
    }

    void parserRejectsBrokenText()
    {
        // The parser is strict enough to catch what the exposition must never produce.
        QVERIFY(!parse("# HELP a x\n# TYPE a counter\na{l=\"v} 1\n").error.isEmpty());
        QVERIFY(!parse("# HELP a x\n# TYPE a counter\na{l=\"\\q\"} 1\n").error.isEmpty());
        QVERIFY(!parse("# HELP a x\n# TYPE a counter\nb 1\n").error.isEmpty());
        QVERIFY(!parse("# HELP a x\n# TYPE a counter\na one\n").error.isEmpty());
        QVERIFY(!parse("# HELP a x\n# TYPE a counter\na 1").error.isEmpty());
        QVERIFY(parse("# HELP a x\n# TYPE a counter\na{l=\"\\\\\"} 1\n").error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPrometheusExposition)
#include "tst_prometheusexposition.moc"
