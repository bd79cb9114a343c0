// SPDX-License-Identifier: Apache-2.0
// CorrelationPane over a real SQLite store: the tree of causes and its title, activation and export requests,
// stale results dropped, and errors shown in the pane. EVENTSCOPE_SCREENSHOT_DIR saves a picture of it.
#include "correlationpane.h"
#include "correlationtreemodel.h"
#include "eventstore/eventdata.h"
#include "eventstore/sqleventstore.h"
#include "explorer/eventsearch.h"
#include "modelroles.h"
#include "teststores.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

using namespace EventScope;
using namespace EventScope::Test;

namespace {

void saveShot(QWidget* widget, const QString& name)
{
    const QString directory = qEnvironmentVariable("EVENTSCOPE_SCREENSHOT_DIR");
    if (directory.isEmpty())
        return;
    QDir().mkpath(directory);
    QCoreApplication::processEvents();
    QVERIFY(widget->grab().save(QDir(directory).filePath(name + QStringLiteral(".png"))));
}

EventData caused(const QString& type, const QString& correlationId, const QUuid& cause, const QString& actor)
{
    QJsonObject metadata { { QStringLiteral("correlationId"), correlationId }, { QStringLiteral("actor"), actor } };
    if (!cause.isNull())
        metadata.insert(QStringLiteral("causationId"), cause.toString(QUuid::WithoutBraces));
    return EventData::create(type, { { QStringLiteral("type"), type } }, metadata);
}

} // namespace

class TestCorrelationPane : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_testStore;
    std::shared_ptr<SqlEventStore> m_store;
    std::shared_ptr<EventSearch> m_search;
    QList<EventData> m_order; ///< correlation "order-7", in append order

private Q_SLOTS:
    void initTestCase()
    {
        m_testStore = std::make_unique<TestStore>(TestStore::Backend::Sqlite);
        auto opened = m_testStore->open();
        QVERIFY(opened);
        m_store = *opened;
        m_search = std::make_shared<EventSearch>(m_store);

        // order-7: placed → payment requested → payment taken; placed → confirmation mailed; and a note whose cause
        // is not in the set (an orphan). Noise of other correlations in between.
        const QString id = QStringLiteral("order-7");
        const EventData placed = caused(QStringLiteral("OrderPlaced"), id, {}, QStringLiteral("web:carol"));
        const EventData requested
            = caused(QStringLiteral("PaymentRequested"), id, placed.eventId, QStringLiteral("saga"));
        const EventData taken = caused(QStringLiteral("PaymentTaken"), id, requested.eventId, QStringLiteral("psp"));
        const EventData mailed
            = caused(QStringLiteral("ConfirmationMailed"), id, placed.eventId, QStringLiteral("mailer"));
        const EventData noted
            = caused(QStringLiteral("OrderNoted"), id, QUuid::createUuid(), QStringLiteral("support:bob"));
        m_order = { placed, requested, taken, mailed, noted };
        const auto append = [&](const QString& stream, const EventData& event) {
            return bool(m_store->append(stream, ExpectedVersion::any(), { event }));
        };
        QVERIFY(append(QStringLiteral("order-7"), placed));
        QVERIFY(append(
            QStringLiteral("order-8"), caused(QStringLiteral("OrderPlaced"), QStringLiteral("order-8"), {}, {})));
        QVERIFY(append(QStringLiteral("payment-7"), requested));
        QVERIFY(append(QStringLiteral("payment-7"), taken));
        QVERIFY(append(QStringLiteral("mail-7"), mailed));
        QVERIFY(append(QStringLiteral("order-7"), noted));
    }

    void showsTheTreeOfCauses()
    {
        CorrelationPane pane;
        pane.resize(760, 300);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QSignalSpy loaded(&pane, &CorrelationPane::loaded);
        pane.setSearch(m_search);
        pane.showCorrelation(QStringLiteral("order-7"));
        QVERIFY(pane.isLoading());
        QTRY_COMPARE(loaded.size(), 1);
        QCOMPARE(loaded.at(0).at(0).toBool(), true);
        QVERIFY(!pane.isLoading());

        auto* title = pane.findChild<QLabel*>(QStringLiteral("correlationTitle"));
        QCOMPARE(title->text(), QStringLiteral("Correlation order-7: 5 events in 3 streams"));
        QVERIFY(!pane.findChild<QLabel*>(QStringLiteral("correlationError"))->isVisible());

        auto* tree = pane.findChild<QTreeView*>(QStringLiteral("correlationTree"));
        const QAbstractItemModel* model = tree->model();
        QCOMPARE(model->rowCount(), 2); // placed, and the orphaned note
        const QModelIndex placed = model->index(0, 0);
        QCOMPARE(placed.data(EventIdRole).toUuid(), m_order.at(0).eventId);
        QCOMPARE(model->index(1, 0).data(EventIdRole).toUuid(), m_order.at(4).eventId);
        QCOMPARE(model->rowCount(placed), 2);
        const QModelIndex requested = model->index(0, 0, placed);
        QCOMPARE(requested.data(EventIdRole).toUuid(), m_order.at(1).eventId);
        QCOMPARE(model->index(1, 0, placed).data(EventIdRole).toUuid(), m_order.at(3).eventId);
        QCOMPARE(model->rowCount(requested), 1);
        QCOMPARE(model->index(0, 0, requested).data(EventIdRole).toUuid(), m_order.at(2).eventId);
        QCOMPARE(
            model->index(0, CorrelationTreeModel::ColumnActor, requested).data().toString(), QStringLiteral("psp"));
        QVERIFY(tree->isExpanded(placed));
        QVERIFY(tree->isExpanded(requested));
        saveShot(&pane, QStringLiteral("correlationpane"));

        // Double-click (or Enter) on an event asks to go to its position.
        QSignalSpy activated(&pane, &CorrelationPane::eventActivated);
        const QModelIndex taken = model->index(0, 0, requested);
        const QPoint center = tree->visualRect(taken).center();
        // A double-click is a press and release followed by the double-click event, as a window system sends it.
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, center);
        QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, center);
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.at(0).at(0).toLongLong(), taken.data(PositionRole).toLongLong());
        tree->setFocus();
        tree->setCurrentIndex(placed);
        QTest::keyClick(tree, Qt::Key_Return);
        QCOMPARE(activated.size(), 2);
        QCOMPARE(activated.at(1).at(0).toLongLong(), placed.data(PositionRole).toLongLong());

        // Export asks for the correlation's query.
        QSignalSpy exportRequested(&pane, &CorrelationPane::exportRequested);
        auto* exportButton = pane.findChild<QPushButton*>(QStringLiteral("correlationExportButton"));
        QVERIFY(exportButton->isEnabled());
        QTest::mouseClick(exportButton, Qt::LeftButton);
        QCOMPARE(exportRequested.size(), 1);
        const auto query = exportRequested.at(0).at(0).value<EventQuery>();
        EventQuery expected;
        expected.correlationId = QStringLiteral("order-7");
        QCOMPARE(query, expected);
    }

    void dropsStaleResults()
    {
        CorrelationPane pane;
        pane.setSearch(m_search);
        QSignalSpy loaded(&pane, &CorrelationPane::loaded);
        pane.showCorrelation(QStringLiteral("order-8"));
        pane.showCorrelation(QStringLiteral("order-7")); // before order-8's answer is taken
        QTRY_COMPARE(loaded.size(), 1);
        QTest::qWait(50); // let a late first answer arrive, if it were not dropped
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(pane.correlationId(), QStringLiteral("order-7"));
        QCOMPARE(pane.model()->eventCount(), 5);
    }

    void showsErrorsInThePane()
    {
        CorrelationPane pane;
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        auto* error = pane.findChild<QLabel*>(QStringLiteral("correlationError"));
        pane.showCorrelation(QStringLiteral("order-7")); // no store yet
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("No store is open")), qPrintable(error->text()));

        pane.setSearch(m_search);
        QVERIFY(!error->isVisible());
        QSignalSpy loaded(&pane, &CorrelationPane::loaded);
        pane.showCorrelation(QStringLiteral("no-such-correlation"));
        QTRY_COMPARE(loaded.size(), 1);
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("No event carries correlation id no-such-correlation")),
            qPrintable(error->text()));
        QVERIFY(!pane.findChild<QPushButton*>(QStringLiteral("correlationExportButton"))->isEnabled());

        // A store that fails: its file is gone before the pane's thread first connects to it.
        TestStore broken(TestStore::Backend::Sqlite);
        auto opened = broken.open();
        QVERIFY(opened);
        QVERIFY(QFile::remove(broken.settings().connection));
        pane.setSearch(std::make_shared<EventSearch>(*opened));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("no such table: es_events")));
        pane.showCorrelation(QStringLiteral("order-7"));
        QTRY_COMPARE(loaded.size(), 2);
        QCOMPARE(loaded.at(1).at(0).toBool(), false);
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().startsWith(QStringLiteral("Could not read correlation order-7: ")),
            qPrintable(error->text()));

        pane.setSearch({});
        QCOMPARE(pane.model()->rowCount(), 0);
        QVERIFY(!error->isVisible());
    }
};

QTEST_MAIN(TestCorrelationPane)
#include "tst_correlationpane.moc"
