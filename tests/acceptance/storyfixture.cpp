// SPDX-License-Identifier: Apache-2.0
#include "storyfixture.h"

#include "widgettesting.h"

#include "eventstore/sqleventstore.h"
#include "eventtablemodel.h"
#include "mainwindow.h"
#include "samples/demoseeder.h"
#include "streamlistmodel.h"

#include <QFile>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>

namespace EventScope::Test {

StoryFixture::StoryFixture() = default;

StoryFixture::~StoryFixture()
{
    closeWindow();
}

bool StoryFixture::seedDemo()
{
    QStandardPaths::setTestModeEnabled(true); // recent stores, saved searches and layout in a test location
    if (!m_demoDir.isValid()) {
        qWarning("cannot create a temporary directory for the demo store");
        return false;
    }
    m_demo.connection = m_demoDir.filePath(QStringLiteral("demo.db"));
    auto opened = SqlEventStore::open(m_demo);
    if (!opened.ok()) {
        qWarning("cannot create the demo store: %s", qPrintable(opened.error().message()));
        return false;
    }
    DemoSeeder::Options options;
    options.users = 24;
    options.accounts = 16;
    options.targetEvents = 600;
    const auto seeded = DemoSeeder::seed(**opened, options);
    if (!seeded.ok()) {
        qWarning("cannot seed the demo store: %s", qPrintable(seeded.error().message()));
        return false;
    }
    return true;
}

bool StoryFixture::copyDemo()
{
    closeWindow();
    QSettings().clear();
    m_storyDir = std::make_unique<QTemporaryDir>();
    m_store = StoreSettings {};
    m_store.connection = m_storyDir->filePath(QStringLiteral("story.db"));
    return m_storyDir->isValid() && QFile::copy(m_demo.connection, m_store.connection);
}

MainWindow* StoryFixture::openWindow(Role role)
{
    closeWindow();
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1400, 900);
    m_window->setRole(role);
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get())) {
        qWarning("the main window was not exposed");
        return nullptr;
    }
    StoreSettings settings = m_store;
    settings.readOnly = role == Role::Auditor;
    m_window->openStore(settings);
    if (!QTest::qWaitFor([&] { return m_window->streamModel() && m_window->streamModel()->rowCount() > 0; }, 20000)) {
        qWarning("the streams did not load");
        return nullptr;
    }
    if (!QTest::qWaitFor(
            [&] { return m_window->eventModel()->rowCount() > 0 && !m_window->eventModel()->isLoading(); }, 20000)) {
        qWarning("the events did not load");
        return nullptr;
    }
    return m_window.get();
}

void StoryFixture::closeWindow()
{
    if (!m_window)
        return;
    m_window->close();
    m_window.reset();
}

QWidget* StoryFixture::windowWidget() const
{
    return m_window.get();
}

void StoryFixture::story(const QString& name)
{
    m_story = name;
    m_step = 0;
}

void StoryFixture::step(const QString& keyword, const QString& text)
{
    ++m_step;
    qInfo("%s %s", qPrintable(keyword), qPrintable(text));
    if (!m_window || screenshotDirectory().isEmpty())
        return;
    static const QRegularExpression notSlug(QStringLiteral("[^a-z0-9]+"));
    QString slug = text.toLower().replace(notSlug, QStringLiteral("-"));
    slug.truncate(48);
    const QString name
        = QStringLiteral("%1-%2-%3-%4").arg(m_story).arg(m_step, 2, 10, QLatin1Char('0')).arg(keyword.toLower(), slug);
    if (!saveScreenshot(m_window.get(), name))
        qWarning("could not save the picture %s", qPrintable(name));
}

} // namespace EventScope::Test
