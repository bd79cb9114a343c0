// SPDX-License-Identifier: Apache-2.0
// EventInspector with a legacy UserCreated v1 event read back from a real store: header, JSON trees and raw text,
// the side-by-side stored/upcasted view (UserModule's v1 → v2 upcaster), copying to the clipboard, and the
// correlation and causation links. EVENTSCOPE_SCREENSHOT_DIR saves pictures of it.
#include "domain/eventtyperegistry.h"
#include "eventinspector.h"
#include "eventstore/eventdata.h"
#include "eventstore/sqleventstore.h"
#include "jsontreemodel.h"
#include "samples/user/usermodule.h"
#include "teststores.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTabWidget>
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

/// The row of \a tree's top level whose key reads \a key.
QModelIndex topLevelRow(const QTreeView* tree, const QString& key)
{
    const QAbstractItemModel* model = tree->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data().toString() == key)
            return model->index(row, 0);
    }
    return {};
}

const QUuid CauseId = QUuid::fromString(QStringLiteral("0190f5a0-1111-7000-8000-000000000001"));

} // namespace

class TestEventInspector : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_testStore;
    std::shared_ptr<SqlEventStore> m_store;
    EventTypeRegistry m_registry;
    RecordedEvent m_legacy; ///< UserCreated stored at v1
    RecordedEvent m_current; ///< UserRenamed at its current version, no correlation

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(UserModule().registerEvents(m_registry));
        QCOMPARE(m_registry.currentVersion(QStringLiteral("UserCreated")), 2);
        m_testStore = std::make_unique<TestStore>(TestStore::Backend::Sqlite);
        auto opened = m_testStore->open();
        QVERIFY(opened);
        m_store = *opened;
        // A v1 event as an older release wrote it, next to a current one.
        const QJsonObject v1 { { QStringLiteral("name"), QStringLiteral("Augusta Ada King") },
            { QStringLiteral("email"), QStringLiteral("ada@example.com") },
            { QStringLiteral("address"),
                QJsonObject { { QStringLiteral("city"), QStringLiteral("London") },
                    { QStringLiteral("street"), QStringLiteral("St James's Square, 12") } } } };
        const QJsonObject metadata { { QStringLiteral("correlationId"), QStringLiteral("signup-42") },
            { QStringLiteral("causationId"), CauseId.toString(QUuid::WithoutBraces) },
            { QStringLiteral("actor"), QStringLiteral("support:alice") } };
        QVERIFY(m_store->append(QStringLiteral("user-42"), ExpectedVersion::noStream(),
            { EventData::create(QStringLiteral("UserCreated"), v1, metadata, 1),
                EventData::create(QStringLiteral("UserRenamed"),
                    { { QStringLiteral("firstName"), QStringLiteral("Ada") },
                        { QStringLiteral("lastName"), QStringLiteral("Lovelace") } }) }));
        const auto stored = m_store->readStream(QStringLiteral("user-42"), 0, 10);
        QVERIFY(stored && stored->size() == 2);
        m_legacy = stored->at(0);
        m_current = stored->at(1);
        QCOMPARE(m_legacy.schemaVersion, 1);
    }

    void showsPlaceholderUntilAnEventIsShown()
    {
        EventInspector inspector;
        auto* stack = inspector.findChild<QStackedWidget*>(QStringLiteral("inspectorStack"));
        auto* placeholder = inspector.findChild<QLabel*>(QStringLiteral("inspectorPlaceholder"));
        QVERIFY(stack && placeholder);
        QCOMPARE(stack->currentWidget(), placeholder);
        QCOMPARE(placeholder->text(), QStringLiteral("Select an event to inspect it"));
        inspector.showEvent(m_current);
        QVERIFY(stack->currentWidget() != placeholder);
        inspector.clear();
        QCOMPARE(stack->currentWidget(), placeholder);
        QVERIFY(!inspector.event());
    }

    void showsAnUpcastedLegacyEvent()
    {
        EventInspector inspector;
        inspector.setRegistry(&m_registry);
        inspector.resize(560, 680);
        inspector.show();
        QVERIFY(QTest::qWaitForWindowExposed(&inspector));
        inspector.showEvent(m_legacy);

        const QString header = inspector.findChild<QLabel*>(QStringLiteral("inspectorHeader"))->text();
        QVERIFY2(header.contains(QStringLiteral("UserCreated")), qPrintable(header));
        QVERIFY2(header.contains(QStringLiteral("stored v1, read as v2")), qPrintable(header));
        QVERIFY2(header.contains(QStringLiteral("user-42@0")), qPrintable(header));
        QVERIFY2(header.contains(QStringLiteral("position %1").arg(m_legacy.position)), qPrintable(header));
        QVERIFY2(header.contains(m_legacy.recordedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))),
            qPrintable(header));
        QVERIFY2(header.contains(m_legacy.eventId.toString(QUuid::WithoutBraces)), qPrintable(header));

        auto* tabs = inspector.findChild<QTabWidget*>(QStringLiteral("inspectorTabs"));
        QVERIFY(tabs);
        QCOMPARE(tabs->count(), 3);
        QCOMPARE(tabs->tabText(0), QStringLiteral("Payload"));
        QCOMPARE(tabs->tabText(1), QStringLiteral("Metadata"));
        QCOMPARE(tabs->tabText(2), QStringLiteral("Stored v1 / Upcasted v2"));

        // The payload tree and text show the stored v1 payload.
        auto* tree = inspector.findChild<QTreeView*>(QStringLiteral("payloadTree"));
        QVERIFY(tree);
        QCOMPARE(tree->model()->rowCount(), 3);
        const QModelIndex name = topLevelRow(tree, QStringLiteral("name"));
        QCOMPARE(
            name.siblingAtColumn(JsonTreeModel::ColumnValue).data().toString(), QStringLiteral("Augusta Ada King"));
        const QModelIndex address = topLevelRow(tree, QStringLiteral("address"));
        QVERIFY(tree->isExpanded(address));
        QCOMPARE(tree->model()->rowCount(address), 2);
        QCOMPARE(tree->model()->index(0, 0, address).data(JsonTreeModel::JsonPathRole).toString(),
            QStringLiteral("payload.address.city"));
        const QString raw = inspector.findChild<QPlainTextEdit*>(QStringLiteral("payloadRaw"))->toPlainText();
        QVERIFY2(raw.contains(QStringLiteral("\n  \"name\": \"Augusta Ada King\"")), qPrintable(raw));
        QVERIFY2(raw.contains(QStringLiteral("\n    \"city\": \"London\"")), qPrintable(raw));
        QVERIFY(inspector.findChild<QPlainTextEdit*>(QStringLiteral("payloadRaw"))->isReadOnly());
        QCOMPARE(QJsonDocument::fromJson(raw.toUtf8()).object(), m_legacy.payloadObject());

        auto* metadataTree = inspector.findChild<QTreeView*>(QStringLiteral("metadataTree"));
        QCOMPARE(topLevelRow(metadataTree, QStringLiteral("actor"))
                     .siblingAtColumn(JsonTreeModel::ColumnValue)
                     .data()
                     .toString(),
            QStringLiteral("support:alice"));

        // Stored and upcasted side by side.
        tabs->setCurrentIndex(2);
        const QString stored = inspector.findChild<QPlainTextEdit*>(QStringLiteral("storedRaw"))->toPlainText();
        const QString upcasted = inspector.findChild<QPlainTextEdit*>(QStringLiteral("upcastedRaw"))->toPlainText();
        QCOMPARE(QJsonDocument::fromJson(stored.toUtf8()).object(), m_legacy.payloadObject());
        const QJsonObject upcastedObject = QJsonDocument::fromJson(upcasted.toUtf8()).object();
        QCOMPARE(upcastedObject.value(QStringLiteral("firstName")).toString(), QStringLiteral("Augusta Ada"));
        QCOMPARE(upcastedObject.value(QStringLiteral("lastName")).toString(), QStringLiteral("King"));
        QVERIFY(!upcastedObject.contains(QStringLiteral("name")));
        QCOMPARE(inspector.findChild<QLabel*>(QStringLiteral("storedLabel"))->text(), QStringLiteral("Stored v1"));
        QCOMPARE(inspector.findChild<QLabel*>(QStringLiteral("upcastedLabel"))->text(), QStringLiteral("Upcasted v2"));
        saveShot(&inspector, QStringLiteral("eventinspector-upcast"));
        tabs->setCurrentIndex(0);
        tree->setCurrentIndex(name);
        saveShot(&inspector, QStringLiteral("eventinspector-payload"));

        // An event at its current version has no upcast tab; without a registry neither has the legacy one.
        inspector.showEvent(m_current);
        QCOMPARE(tabs->count(), 2);
        inspector.setRegistry(nullptr);
        inspector.showEvent(m_legacy);
        QCOMPARE(tabs->count(), 2);
        QVERIFY(!inspector.findChild<QLabel*>(QStringLiteral("inspectorHeader"))
                     ->text()
                     .contains(QStringLiteral("read as")));
    }

    void copiesJsonAndTheSelectedValue()
    {
        EventInspector inspector;
        inspector.show();
        QVERIFY(QTest::qWaitForWindowExposed(&inspector));
        inspector.showEvent(m_legacy);
        QClipboard* clipboard = QApplication::clipboard();
        clipboard->setText(QStringLiteral("before"));

        auto* copyJson = inspector.findChild<QPushButton*>(QStringLiteral("payloadCopyJson"));
        QTest::mouseClick(copyJson, Qt::LeftButton);
        QCOMPARE(clipboard->text(), inspector.findChild<QPlainTextEdit*>(QStringLiteral("payloadRaw"))->toPlainText());

        auto* copyValue = inspector.findChild<QPushButton*>(QStringLiteral("payloadCopyValue"));
        QVERIFY(!copyValue->isEnabled()); // nothing selected yet
        auto* tree = inspector.findChild<QTreeView*>(QStringLiteral("payloadTree"));
        tree->setCurrentIndex(topLevelRow(tree, QStringLiteral("email")));
        QVERIFY(copyValue->isEnabled());
        QTest::mouseClick(copyValue, Qt::LeftButton);
        QCOMPARE(clipboard->text(), QStringLiteral("ada@example.com")); // a string as it is, not quoted

        // An object is copied as compact JSON; the keyboard shortcut in the tree does the same as the button.
        tree->setCurrentIndex(topLevelRow(tree, QStringLiteral("address")));
        tree->setFocus();
        QTest::keySequence(tree, QKeySequence::Copy);
        QCOMPARE(QJsonDocument::fromJson(clipboard->text().toUtf8()).object(),
            m_legacy.payloadObject().value(QStringLiteral("address")).toObject());

        auto* metadataCopy = inspector.findChild<QPushButton*>(QStringLiteral("metadataCopyJson"));
        QTest::mouseClick(metadataCopy, Qt::LeftButton);
        QCOMPARE(QJsonDocument::fromJson(clipboard->text().toUtf8()).object(), m_legacy.metadataObject());
    }

    void linksAskForCorrelationAndCause()
    {
        EventInspector inspector;
        inspector.show();
        QVERIFY(QTest::qWaitForWindowExposed(&inspector));
        QSignalSpy correlation(&inspector, &EventInspector::correlationRequested);
        QSignalSpy causation(&inspector, &EventInspector::causationRequested);
        inspector.showEvent(m_legacy);

        auto* correlationButton = inspector.findChild<QPushButton*>(QStringLiteral("correlationButton"));
        auto* causationButton = inspector.findChild<QPushButton*>(QStringLiteral("causationButton"));
        QVERIFY(correlationButton->isVisible() && causationButton->isVisible());
        QVERIFY(correlationButton->text().contains(QStringLiteral("signup-42")));
        QTest::mouseClick(correlationButton, Qt::LeftButton);
        QCOMPARE(correlation.size(), 1);
        QCOMPARE(correlation.at(0).at(0).toString(), QStringLiteral("signup-42"));
        causationButton->setFocus();
        QTest::keyClick(causationButton, Qt::Key_Space);
        QCOMPARE(causation.size(), 1);
        QCOMPARE(causation.at(0).at(0).toUuid(), CauseId);

        // No correlation or cause in the metadata: no links.
        inspector.showEvent(m_current);
        QVERIFY(!correlationButton->isVisible());
        QVERIFY(!causationButton->isVisible());
    }
};

QTEST_MAIN(TestEventInspector)
#include "tst_eventinspector.moc"
