// SPDX-License-Identifier: Apache-2.0
// ExportDialog over a real SQLite store: an export runs on a pool thread and reports its count; Cancel (and closing
// the window) stops it and leaves an existing file as it was; a file that cannot be written is reported.
#include "eventstore/eventdata.h"
#include "eventstore/sqleventstore.h"
#include "explorer/eventjson.h"
#include "explorer/eventsearch.h"
#include "exportdialog.h"
#include "teststores.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace EventScope;
using namespace EventScope::Test;

namespace {

constexpr int EventCount = 3000;

QByteArray contents(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

EventExporter::Header header()
{
    return { QStringLiteral("test store"), QStringLiteral("alice"), QStringLiteral("auditor"), {} };
}

} // namespace

class TestExportDialog : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_testStore;
    std::shared_ptr<EventSearch> m_search;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_testStore = std::make_unique<TestStore>(TestStore::Backend::Sqlite);
        auto opened = m_testStore->open();
        QVERIFY(opened);
        for (int done = 0; done < EventCount;) {
            QList<EventData> batch;
            for (int i = 0; i < 100; ++i, ++done)
                batch.append(EventData::create(QStringLiteral("Ticked"), { { QStringLiteral("n"), done } },
                    { { QStringLiteral("correlationId"), QStringLiteral("c-%1").arg(done % 10) } }));
            QVERIFY((*opened)->append(QStringLiteral("clock-%1").arg(done % 3), ExpectedVersion::any(), batch));
        }
        m_search = std::make_shared<EventSearch>(*opened);
    }

    void exportsAndReportsTheCount()
    {
        EventQuery query;
        query.correlationId = QStringLiteral("c-3");
        ExportDialog dialog(m_search, query, header());
        QSignalSpy finished(&dialog, &ExportDialog::finished);
        const QString path = m_dir.filePath(QStringLiteral("c-3.jsonl"));
        dialog.start(path, EventExporter::Format::JsonLines);
        QVERIFY(dialog.isRunning());
        QVERIFY(dialog.isVisible());
        QVERIFY(!dialog.findChild<QPushButton*>(QStringLiteral("exportCloseButton"))->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QCOMPARE(finished.at(0).at(1).toLongLong(), qint64(EventCount / 10));
        const QString message = finished.at(0).at(2).toString();
        QVERIFY2(message.contains(QStringLiteral("300 events")), qPrintable(message));
        QCOMPARE(dialog.findChild<QLabel*>(QStringLiteral("exportStatusLabel"))->text(), message);
        QVERIFY(!dialog.isRunning());
        QVERIFY(dialog.findChild<QPushButton*>(QStringLiteral("exportCloseButton"))->isEnabled());

        const QList<QByteArray> lines = contents(path).split('\n');
        QCOMPARE(lines.size(), 1 + EventCount / 10 + 1); // header, events, empty after the last break
        QVERIFY(EventJson::isExportHeader(lines.first()));
        for (qsizetype i = 1; i + 1 < lines.size(); ++i) {
            QString error;
            const auto event = EventJson::parse(lines.at(i), &error);
            QVERIFY2(event, qPrintable(error));
            QCOMPARE(event->metadataObject().value(QStringLiteral("correlationId")).toString(), QStringLiteral("c-3"));
        }
        QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("exportCloseButton")), Qt::LeftButton);
        QVERIFY(!dialog.isVisible());
    }

    void cancelLeavesTheFileAsItWas_data()
    {
        QTest::addColumn<bool>("byClosingTheWindow");
        QTest::newRow("cancel button") << false;
        QTest::newRow("closing the window") << true;
    }

    void cancelLeavesTheFileAsItWas()
    {
        QFETCH(bool, byClosingTheWindow);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("existing.csv"));
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("keep me\n");
        }
        ExportDialog dialog(m_search, {}, header());
        QSignalSpy finished(&dialog, &ExportDialog::finished);
        dialog.start(path, EventExporter::Format::Csv);
        if (byClosingTheWindow) {
            QTest::keyClick(&dialog, Qt::Key_Escape);
            QVERIFY(dialog.isVisible()); // stays until the export has stopped
        } else {
            QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("exportCancelButton")), Qt::LeftButton);
        }
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY2(finished.at(0).at(2).toString().contains(QStringLiteral("cancelled")),
            qPrintable(finished.at(0).at(2).toString()));
        QCOMPARE(contents(path), QByteArray("keep me\n"));
        QCOMPARE(
            QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList { QStringLiteral("existing.csv") });
    }

    void reportsAFileThatCannotBeWritten()
    {
        ExportDialog dialog(m_search, {}, header());
        QSignalSpy finished(&dialog, &ExportDialog::finished);
        const QString path = m_dir.filePath(QStringLiteral("missing/folder/out.jsonl"));
        dialog.start(path, EventExporter::Format::JsonLines);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        const QString message = dialog.findChild<QLabel*>(QStringLiteral("exportStatusLabel"))->text();
        QVERIFY2(message.contains(QStringLiteral("Could not write")), qPrintable(message));
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
