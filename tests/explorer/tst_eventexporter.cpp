// SPDX-License-Identifier: Apache-2.0
// EventExporter on SQLite or PostgreSQL (EVENTSCOPE_TEST_BACKEND): JSON Lines read back through the CLI's line parser
// equal the store's events byte for byte; CSV read back by an RFC 4180 reader holds the same values (payloads with
// commas, quotes and line breaks); the header; cancel and write errors leave the destination as it was; progress per
// page; streams, correlation sets and filtered searches export exactly what EventQuery::matches() selects.
#include "eventstore/eventdata.h"
#include "eventstore/sqleventstore.h"
#include "explorer/eventexporter.h"
#include "explorer/eventjson.h"
#include "explorer/eventquery.h"
#include "explorer/eventsearch.h"
#include "teststores.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace EventScope;
using namespace EventScope::Test;

namespace {

/// More than two pages of the exporter (1000 per page), so paging is exercised.
constexpr int EventCount = 2300;

QString errorText(const StoreError& error)
{
    return StoreError::codeName(error.code()) + QStringLiteral(": ") + error.message();
}

/// PostgreSQL keeps microseconds: EventSearch truncates them to the millisecond, while SqlEventStore::readAll (our
/// reference) gets them rounded by QPSQL, so the two may differ by one millisecond there. SQLite stores milliseconds.
bool sameTime(const QDateTime& exported, const QDateTime& stored)
{
    const qint64 difference = stored.toMSecsSinceEpoch() - exported.toMSecsSinceEpoch();
    return difference == 0 || (TestStore::backendUnderTest() == TestStore::Backend::Postgres && difference == 1);
}

QByteArray contents(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// A minimal RFC 4180 reader: records of fields, quoted fields may hold commas, doubled quotes and line breaks.
/// Lines starting with '#' outside a record are comments and returned in \a comments.
QList<QList<QByteArray>> readCsv(const QByteArray& text, QList<QByteArray>* comments, QString* error)
{
    QList<QList<QByteArray>> records;
    qsizetype i = 0;
    while (i < text.size()) {
        if (text.at(i) == '#') {
            const qsizetype end = text.indexOf("\r\n", i);
            comments->append(text.mid(i, end - i));
            i = end < 0 ? text.size() : end + 2;
            continue;
        }
        QList<QByteArray> record;
        for (;;) {
            QByteArray field;
            if (i < text.size() && text.at(i) == '"') {
                ++i;
                for (;;) {
                    if (i >= text.size()) {
                        *error = QStringLiteral("unterminated quoted field");
                        return {};
                    }
                    if (text.at(i) == '"') {
                        if (i + 1 < text.size() && text.at(i + 1) == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    field += text.at(i++);
                }
            } else {
                while (i < text.size() && text.at(i) != ',' && text.at(i) != '\r' && text.at(i) != '\n') {
                    if (text.at(i) == '"') {
                        *error = QStringLiteral("quote inside an unquoted field at %1").arg(i);
                        return {};
                    }
                    field += text.at(i++);
                }
            }
            record.append(field);
            if (i < text.size() && text.at(i) == ',') {
                ++i;
                continue;
            }
            if (text.mid(i, 2) != "\r\n") {
                *error = QStringLiteral("record does not end with CRLF at %1").arg(i);
                return {};
            }
            i += 2;
            break;
        }
        records.append(record);
    }
    return records;
}

} // namespace

class TestEventExporter : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_testStore;
    std::shared_ptr<SqlEventStore> m_store;
    std::unique_ptr<EventSearch> m_search;
    QList<RecordedEvent> m_all;
    std::unique_ptr<QTemporaryDir> m_dir;

    QList<RecordedEvent> expected(const EventQuery& query) const
    {
        QList<RecordedEvent> matching;
        for (const RecordedEvent& event : m_all) {
            if (query.matches(event))
                matching.append(event);
        }
        return matching;
    }

    static EventExporter::Header header()
    {
        return { QStringLiteral("test store, \"quoted\""), QStringLiteral("alice"), QStringLiteral("auditor"),
            QDateTime(QDate(2026, 11, 26), QTime(17, 30, 5, 123), Qt::UTC) };
    }

    /// Reads a JSON Lines export: checks the header line, returns the events of the other lines.
    static QList<RecordedEvent> readJsonLines(const QString& path, QJsonObject* headerObject)
    {
        const QList<QByteArray> lines = contents(path).split('\n');
        QList<RecordedEvent> events;
        [&] {
            QVERIFY(lines.size() >= 2);
            QCOMPARE(lines.last(), QByteArray()); // ends with a line break
            QVERIFY(EventJson::isExportHeader(lines.first()));
            *headerObject = QJsonDocument::fromJson(lines.first()).object();
            for (qsizetype i = 1; i + 1 < lines.size(); ++i) {
                QVERIFY2(!EventJson::isExportHeader(lines.at(i)), lines.at(i).constData());
                QString error;
                const auto event = EventJson::parse(lines.at(i), &error);
                QVERIFY2(event, qPrintable(error));
                events.append(*event);
                // The line is exactly what `eventscope-cli export` writes for that event.
                QCOMPARE(lines.at(i) + '\n', EventJson::line(*event));
            }
        }();
        return events;
    }

    static void compareEvents(const QList<RecordedEvent>& actual, const QList<RecordedEvent>& wanted)
    {
        QCOMPARE(actual.size(), wanted.size());
        for (qsizetype i = 0; i < actual.size(); ++i) {
            const RecordedEvent& a = actual.at(i);
            const RecordedEvent& b = wanted.at(i);
            QCOMPARE(a.position, b.position);
            QCOMPARE(a.streamId, b.streamId);
            QCOMPARE(a.streamVersion, b.streamVersion);
            QCOMPARE(a.eventId, b.eventId);
            QCOMPARE(a.eventType, b.eventType);
            QCOMPARE(a.schemaVersion, b.schemaVersion);
            QVERIFY2(sameTime(a.recordedAt, b.recordedAt),
                qPrintable(
                    a.recordedAt.toString(Qt::ISODateWithMs) + u" != " + b.recordedAt.toString(Qt::ISODateWithMs)));
            QCOMPARE(a.payload, b.payload);
            QCOMPARE(a.metadata, b.metadata);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        const TestStore::Backend backend = TestStore::backendUnderTest();
        qInfo() << "backend under test:" << TestStore::backendName(backend);
        EVENTSCOPE_REQUIRE_BACKEND(backend);
        m_testStore = std::make_unique<TestStore>(backend);
        auto opened = m_testStore->open();
        QVERIFY2(opened, qPrintable(opened ? QString() : errorText(opened.error())));
        m_store = *opened;
        m_search = std::make_unique<EventSearch>(m_store);

        const QStringList streams { QStringLiteral("user-1"), QStringLiteral("user-2"), QStringLiteral("order-1"),
            QStringLiteral("order-2"), QStringLiteral("account-1") };
        const QStringList types { QStringLiteral("UserCreated"), QStringLiteral("OrderPlaced"),
            QStringLiteral("NoteAdded") };
        const QStringList notes { QStringLiteral("plain"), QStringLiteral("with, comma"), QStringLiteral("say \"hi\""),
            QStringLiteral("two\nlines"), QStringLiteral("crlf\r\nend, \"all\" of it"), QStringLiteral("Grüße, 東京") };
        for (int done = 0; done < EventCount;) {
            const QString stream = streams.at((done / 50) % streams.size());
            QList<EventData> batch;
            for (int i = 0; i < 50 && done < EventCount; ++i, ++done) {
                QJsonObject metadata { { QStringLiteral("actor"),
                                           done % 3 ? QStringLiteral("alice") : QStringLiteral("bob") },
                    { QStringLiteral("correlationId"), QStringLiteral("corr-%1").arg(done % 7) } };
                if (done % 5 == 0)
                    metadata.insert(QStringLiteral("reason"), QStringLiteral("a \"reason\", with comma\nand line"));
                batch.append(EventData::create(types.at(done % types.size()),
                    { { QStringLiteral("number"), done }, { QStringLiteral("note"), notes.at(done % notes.size()) },
                        { QStringLiteral("nested"),
                            QJsonObject { { QStringLiteral("list"), QJsonArray { 1, QStringLiteral("x"), true } } } } },
                    metadata, 1 + done % 2));
            }
            const auto appended = m_store->append(stream, ExpectedVersion::any(), batch);
            QVERIFY2(appended, qPrintable(appended ? QString() : errorText(appended.error())));
        }
        // PostgreSQL shows $all only up to the oldest transaction still open on the server, which may be another
        // suite's: wait until every event is visible.
        const auto readEverything = [&] {
            m_all.clear();
            for (GlobalPosition after = 0;;) {
                const auto page = m_store->readAll(after, 1000);
                if (!page || page->isEmpty())
                    break;
                m_all += *page;
                after = page->last().position;
            }
            return m_all.size() == EventCount;
        };
        QVERIFY(QTest::qWaitFor(readEverything, 60000));
        QCOMPARE(m_all.size(), EventCount);
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void jsonLinesRoundTripByteForByte()
    {
        const QString path = m_dir->filePath(QStringLiteral("all.jsonl"));
        const EventExporter exporter(*m_search);
        const auto exported = exporter.exportTo(path, EventExporter::Format::JsonLines, {}, header());
        QVERIFY2(exported, qPrintable(exported ? QString() : errorText(exported.error())));
        QCOMPARE(exported.value(), qint64(EventCount));

        QJsonObject head;
        const QList<RecordedEvent> events = readJsonLines(path, &head);
        if (QTest::currentTestFailed())
            return;
        compareEvents(events, m_all);

        QCOMPARE(head.value(QStringLiteral("eventscopeExport")).toInt(), 1);
        QCOMPARE(head.value(QStringLiteral("store")).toString(), header().store);
        QCOMPARE(head.value(QStringLiteral("exportedBy")).toString(), QStringLiteral("alice"));
        QCOMPARE(head.value(QStringLiteral("role")).toString(), QStringLiteral("auditor"));
        QCOMPARE(head.value(QStringLiteral("exportedAt")).toString(), QStringLiteral("2026-11-26T17:30:05.123Z"));
        QCOMPARE(EventQuery::fromJson(head.value(QStringLiteral("filter")).toObject()), EventQuery());
        QCOMPARE(head.value(QStringLiteral("filterText")).toString(), EventQuery().describe());
    }

    void csvReadsBackWithTheSameValues()
    {
        EventQuery query;
        query.categories = QStringList { QStringLiteral("order") };
        const QString path = m_dir->filePath(QStringLiteral("orders.csv"));
        QCOMPARE(EventExporter::formatForPath(path), EventExporter::Format::Csv);
        const EventExporter exporter(*m_search);
        const auto exported = exporter.exportTo(path, EventExporter::Format::Csv, query, header());
        QVERIFY2(exported, qPrintable(exported ? QString() : errorText(exported.error())));
        const QList<RecordedEvent> wanted = expected(query);
        QVERIFY(wanted.size() > 500);
        QCOMPARE(exported.value(), qint64(wanted.size()));

        QList<QByteArray> comments;
        QString error;
        const QList<QList<QByteArray>> records = readCsv(contents(path), &comments, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(comments.contains("# store: test store, \"quoted\""));
        QVERIFY(comments.contains("# exportedBy: alice"));
        QVERIFY(comments.contains("# role: auditor"));
        QVERIFY(comments.contains("# exportedAt: 2026-11-26T17:30:05.123Z"));
        QVERIFY(comments.contains("# filter: " + query.describe().toUtf8()));
        QVERIFY(comments.contains("# filterJson: " + QJsonDocument(query.toJson()).toJson(QJsonDocument::Compact)));

        QCOMPARE(records.size(), wanted.size() + 1);
        QCOMPARE(records.first(),
            (QList<QByteArray> { "position", "stream", "version", "eventId", "type", "schemaVersion", "recordedAt",
                "actor", "correlationId", "causationId", "payload", "metadata" }));
        bool sawQuotesAndBreaks = false;
        for (qsizetype i = 0; i < wanted.size(); ++i) {
            const QList<QByteArray>& row = records.at(i + 1);
            const RecordedEvent& event = wanted.at(i);
            QCOMPARE(row.size(), 12);
            QCOMPARE(row.at(0).toLongLong(), event.position);
            QCOMPARE(QString::fromUtf8(row.at(1)), event.streamId);
            QCOMPARE(row.at(2).toLongLong(), event.streamVersion);
            QCOMPARE(QUuid::fromString(QString::fromUtf8(row.at(3))), event.eventId);
            QCOMPARE(QString::fromUtf8(row.at(4)), event.eventType);
            QCOMPARE(row.at(5).toInt(), event.schemaVersion);
            QVERIFY2(sameTime(QDateTime::fromString(QString::fromUtf8(row.at(6)), Qt::ISODateWithMs), event.recordedAt),
                row.at(6).constData());
            const QJsonObject metadata = event.metadataObject();
            QCOMPARE(QString::fromUtf8(row.at(7)), metadata.value(QStringLiteral("actor")).toString());
            QCOMPARE(QString::fromUtf8(row.at(8)), metadata.value(QStringLiteral("correlationId")).toString());
            QCOMPARE(QString::fromUtf8(row.at(9)), metadata.value(QStringLiteral("causationId")).toString());
            QCOMPARE(row.at(10), event.payload);
            QCOMPARE(row.at(11), event.metadata);
            sawQuotesAndBreaks = sawQuotesAndBreaks || (event.payload.contains("\\\"") && event.payload.contains(','));
        }
        QVERIFY(sawQuotesAndBreaks);
    }

    void csvQuotesCommasQuotesAndLineBreaks()
    {
        // JSON escapes line breaks inside strings, so payloads alone never put one into a CSV field: a store name
        // with one goes into a '#' line, flattened, and the raw metadata text with quotes and commas is quoted.
        const QString path = m_dir->filePath(QStringLiteral("one.csv"));
        EventQuery query;
        query.streamId = m_all.first().streamId;
        EventExporter::Header withBreak = header();
        withBreak.store = QStringLiteral("line one\nline two");
        const auto exported = EventExporter(*m_search).exportTo(path, EventExporter::Format::Csv, query, withBreak);
        QVERIFY(exported);
        const QByteArray text = contents(path);
        QVERIFY(text.contains("# store: line one line two\r\n"));
        const RecordedEvent& first = m_all.first();
        QByteArray quotedPayload = first.payload;
        quotedPayload.replace('"', "\"\"");
        QVERIFY(text.contains(QByteArray(",\"" + quotedPayload + "\",")));
    }

    void cancelLeavesTheDestinationAsItWas()
    {
        const QString path = m_dir->filePath(QStringLiteral("existing.jsonl"));
        const QByteArray before = "an earlier export that must survive\n";
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(before);
        }
        SearchControl control;
        QList<qint64> reported;
        const auto exported = EventExporter(*m_search).exportTo(
            path, EventExporter::Format::JsonLines, {}, header(), control, [&](qint64 written) {
                reported.append(written);
                control.cancel(); // after the first page
            });
        QVERIFY(!exported);
        QCOMPARE(exported.error().code(), StoreError::Code::Cancelled);
        QCOMPARE(reported, QList<qint64> { 1000 });
        QCOMPARE(contents(path), before);
        // No temporary file is left behind.
        QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden),
            QStringList { QStringLiteral("existing.jsonl") });

        // Cancelled before it starts: nothing is created.
        const QString fresh = m_dir->filePath(QStringLiteral("fresh.csv"));
        const auto early = EventExporter(*m_search).exportTo(fresh, EventExporter::Format::Csv, {}, header(), control);
        QVERIFY(!early);
        QCOMPARE(early.error().code(), StoreError::Code::Cancelled);
        QVERIFY(!QFile::exists(fresh));
    }

    void errorsLeaveNothingBehind()
    {
        const QString missingFolder = m_dir->filePath(QStringLiteral("no/such/folder/out.jsonl"));
        const auto failed
            = EventExporter(*m_search).exportTo(missingFolder, EventExporter::Format::JsonLines, {}, header());
        QVERIFY(!failed);
        QVERIFY2(failed.error().message().contains(missingFolder), qPrintable(failed.error().message()));

        EventQuery invalid;
        invalid.from = QDateTime(QDate(2027, 1, 1), QTime(0, 0), Qt::UTC);
        invalid.until = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
        const QString path = m_dir->filePath(QStringLiteral("invalid.jsonl"));
        const auto refused
            = EventExporter(*m_search).exportTo(path, EventExporter::Format::JsonLines, invalid, header());
        QVERIFY(!refused);
        QCOMPARE(refused.error().code(), StoreError::Code::InvalidArgument);
        QVERIFY(!QFile::exists(path));
    }

    void progressCountsGrowPerPage()
    {
        QList<qint64> reported;
        const auto exported = EventExporter(*m_search).exportTo(m_dir->filePath(QStringLiteral("p.jsonl")),
            EventExporter::Format::JsonLines, {}, header(), {}, [&](qint64 written) { reported.append(written); });
        QVERIFY(exported);
        QCOMPARE(reported, (QList<qint64> { 1000, 2000, EventCount }));
    }

    void exportsExactlyTheSelectedEvents_data()
    {
        QTest::addColumn<EventQuery>("query");
        EventQuery stream;
        stream.streamId = QStringLiteral("order-2");
        QTest::newRow("stream") << stream;
        EventQuery correlation;
        correlation.correlationId = QStringLiteral("corr-3");
        QTest::newRow("correlation") << correlation;
        EventQuery filtered;
        filtered.eventTypes = QStringList { QStringLiteral("UserCreated"), QStringLiteral("NoteAdded") };
        filtered.actor = QStringLiteral("alice");
        filtered.payload = { QStringLiteral("note"), PayloadCondition::Match::Contains, QStringLiteral("comma") };
        QTest::newRow("filtered search") << filtered;
        EventQuery none;
        none.streamId = QStringLiteral("nobody-1");
        QTest::newRow("nothing") << none;
    }

    void exportsExactlyTheSelectedEvents()
    {
        QFETCH(EventQuery, query);
        const QString path = m_dir->filePath(QStringLiteral("selection.jsonl"));
        const auto exported
            = EventExporter(*m_search).exportTo(path, EventExporter::Format::JsonLines, query, header());
        QVERIFY2(exported, qPrintable(exported ? QString() : errorText(exported.error())));
        const QList<RecordedEvent> wanted = expected(query);
        QCOMPARE(exported.value(), qint64(wanted.size()));
        QJsonObject head;
        const QList<RecordedEvent> events = readJsonLines(path, &head);
        if (QTest::currentTestFailed())
            return;
        compareEvents(events, wanted);
        QCOMPARE(EventQuery::fromJson(head.value(QStringLiteral("filter")).toObject()), query);
        QCOMPARE(head.value(QStringLiteral("filterText")).toString(), query.describe());
    }
};

QTEST_GUILESS_MAIN(TestEventExporter)
#include "tst_eventexporter.moc"
