// SPDX-License-Identifier: Apache-2.0
// Value types of the event store: ids, expected versions, stream names and filters.
#include "eventstore/eventdata.h"
#include "eventstore/expectedversion.h"
#include "eventstore/readoptions.h"
#include "eventstore/streamid.h"

#include <QSet>
#include <QTest>

using namespace EventScope;

class TestEventData : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void eventIdsAreVersion7AndIncreasing()
    {
        constexpr int Count = 100000;
        QSet<QUuid> seen;
        seen.reserve(Count);
        QByteArray previous;
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < Count; ++i) {
            const QUuid id = EventData::newEventId();
            const QByteArray bytes = id.toRfc4122(); // QUuid 6.4 does not know version 7 yet
            QCOMPARE(uchar(bytes.at(6)) >> 4, 7);
            QCOMPARE(uchar(bytes.at(8)) & 0xc0, 0x80); // RFC 9562 variant
            QVERIFY2(bytes > previous, qPrintable(id.toString()));
            previous = bytes;
            seen.insert(id);
        }
        QCOMPARE(seen.size(), Count);
        // The first 48 bits are Unix milliseconds.
        qint64 millis = 0;
        for (int i = 0; i < 6; ++i)
            millis = (millis << 8) | uchar(previous.at(i));
        QVERIFY(millis >= before);
        QVERIFY(millis <= QDateTime::currentMSecsSinceEpoch() + 1000); // counter may borrow a few ms in bursts
        QCOMPARE(uchar(EventData::create(QStringLiteral("T"), {}).eventId.toRfc4122().at(6)) >> 4, 7);
    }

    void expectedVersionRules()
    {
        QVERIFY(ExpectedVersion::any().isSatisfiedBy(NoStreamVersion));
        QVERIFY(ExpectedVersion::any().isSatisfiedBy(7));
        QVERIFY(ExpectedVersion::noStream().isSatisfiedBy(NoStreamVersion));
        QVERIFY(!ExpectedVersion::noStream().isSatisfiedBy(0));
        QVERIFY(!ExpectedVersion::streamExists().isSatisfiedBy(NoStreamVersion));
        QVERIFY(ExpectedVersion::streamExists().isSatisfiedBy(0));
        QVERIFY(ExpectedVersion::exact(3).isSatisfiedBy(3));
        QVERIFY(!ExpectedVersion::exact(3).isSatisfiedBy(4));
        QCOMPARE(ExpectedVersion::exact(41).toString(), QStringLiteral("exact 41"));
    }

    void streamIds_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("category");
        QTest::newRow("simple") << QStringLiteral("user-42") << true << QStringLiteral("user");
        QTest::newRow("no dash") << QStringLiteral("settings") << true << QStringLiteral("settings");
        QTest::newRow("several dashes") << QStringLiteral("order-2026-11") << true << QStringLiteral("order");
        QTest::newRow("punctuation") << QStringLiteral("a_b.c:d@e$f") << true << QStringLiteral("a_b.c:d@e$f");
        QTest::newRow("leading dash") << QStringLiteral("-x") << true << QStringLiteral("-x");
        QTest::newRow("empty") << QString() << false << QString();
        QTest::newRow("space") << QStringLiteral("a b") << false << QString();
        QTest::newRow("slash") << QStringLiteral("a/b") << false << QString();
        QTest::newRow("umlaut") << QStringLiteral("größe") << false << QString();
        QTest::newRow("reserved") << QStringLiteral("$all") << false << QString();
        QTest::newRow("max length") << QString(StreamId::MaxLength, u'a') << true << QString(StreamId::MaxLength, u'a');
        QTest::newRow("too long") << QString(StreamId::MaxLength + 1, u'a') << false << QString();
    }

    void streamIds()
    {
        QFETCH(QString, id);
        QFETCH(bool, valid);
        QCOMPARE(StreamId::validate(id).isEmpty(), valid);
        if (valid)
            QTEST(StreamId::category(id), "category");
    }

    void streamFilters_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QStringList>("matching");
        QTest::addColumn<QStringList>("notMatching");
        QTest::newRow("everything") << QString() << QString()
                                    << QStringList { QStringLiteral("a"), QStringLiteral("user-1") } << QStringList {};
        QTest::newRow("category") << QStringLiteral("user-*") << QStringLiteral("user-")
                                  << QStringList { QStringLiteral("user-1"), QStringLiteral("user-x-y") }
                                  << QStringList { QStringLiteral("userland"), QStringLiteral("users-1"),
                                         QStringLiteral("user") };
        QTest::newRow("prefix") << QStringLiteral("user-1") << QStringLiteral("user-1")
                                << QStringList { QStringLiteral("user-1"), QStringLiteral("user-10") }
                                << QStringList { QStringLiteral("user-2") };
        QTest::newRow("prefix star") << QStringLiteral("user*") << QStringLiteral("user")
                                     << QStringList { QStringLiteral("userland"), QStringLiteral("user-1") }
                                     << QStringList { QStringLiteral("use") };
        QTest::newRow("dashed prefix star")
            << QStringLiteral("order-2026-*") << QStringLiteral("order-2026-")
            << QStringList { QStringLiteral("order-2026-11") } << QStringList { QStringLiteral("order-2025-1") };
    }

    void streamFilters()
    {
        QFETCH(QString, pattern);
        QFETCH(QStringList, matching);
        QFETCH(QStringList, notMatching);
        const StreamFilter filter { pattern };
        QTEST(filter.prefix(), "prefix");
        for (const QString& id : matching)
            QVERIFY2(filter.matches(id), qPrintable(id));
        for (const QString& id : notMatching)
            QVERIFY2(!filter.matches(id), qPrintable(id));
    }
};

QTEST_GUILESS_MAIN(TestEventData)
#include "tst_eventdata.moc"
