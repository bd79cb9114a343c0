// SPDX-License-Identifier: Apache-2.0
#include "eventfilterbar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QToolButton>

namespace EventScope {

namespace {

const QString SavedSearchesGroup = QStringLiteral("savedSearches");

QLineEdit* lineEdit(QWidget* parent, const QString& name, const QString& placeholder, const QString& toolTip)
{
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    edit->setToolTip(toolTip);
    edit->setClearButtonEnabled(true);
    return edit;
}

QDateTimeEdit* timeEdit(QWidget* parent, const QString& name)
{
    auto* edit = new QDateTimeEdit(QDateTime::currentDateTime(), parent);
    edit->setObjectName(name);
    edit->setCalendarPopup(true);
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    edit->setEnabled(false);
    return edit;
}

} // namespace

EventFilterBar::EventFilterBar(QWidget* parent)
    : QWidget(parent)
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(6, 6, 6, 2);
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(4);

    // Row 0: scope, types, category, actor, correlation.
    m_streamChip = new QToolButton(this);
    m_streamChip->setObjectName(QStringLiteral("streamChip"));
    m_streamChip->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_streamChip->setToolTip(tr("Showing one stream. Click to show the events of every stream."));
    connect(m_streamChip, &QToolButton::clicked, this, [this] {
        setStreamId({});
        Q_EMIT searchRequested();
    });

    m_typesMenu = new QMenu(this);
    m_typesMenu->setObjectName(QStringLiteral("typesMenu"));
    m_typesButton = new QToolButton(this);
    m_typesButton->setObjectName(QStringLiteral("typesButton"));
    m_typesButton->setPopupMode(QToolButton::InstantPopup);
    m_typesButton->setMenu(m_typesMenu);
    m_typesButton->setToolTip(tr("Show only events of the checked types"));

    m_categoryEdit = lineEdit(this, QStringLiteral("categoryEdit"), tr("Category"),
        tr("Stream category: the part of a stream id before its first '-', e.g. account"));
    m_actorEdit
        = lineEdit(this, QStringLiteral("actorEdit"), tr("Actor"), tr("Events whose metadata actor is exactly this"));
    m_correlationEdit = lineEdit(
        this, QStringLiteral("correlationEdit"), tr("Correlation id"), tr("Events of one command or process"));

    auto* row0 = new QHBoxLayout;
    row0->addWidget(m_streamChip);
    row0->addWidget(m_typesButton);
    row0->addWidget(m_categoryEdit, 1);
    row0->addWidget(m_actorEdit, 1);
    row0->addWidget(m_correlationEdit, 2);
    grid->addLayout(row0, 0, 0);

    // Row 1: time range, payload condition.
    m_fromCheck = new QCheckBox(tr("From"), this);
    m_fromCheck->setObjectName(QStringLiteral("fromCheck"));
    m_fromEdit = timeEdit(this, QStringLiteral("fromEdit"));
    m_fromEdit->setToolTip(tr("Events recorded at or after this local time"));
    m_untilCheck = new QCheckBox(tr("until"), this);
    m_untilCheck->setObjectName(QStringLiteral("untilCheck"));
    m_untilEdit = timeEdit(this, QStringLiteral("untilEdit"));
    m_untilEdit->setToolTip(tr("Events recorded before this local time"));
    connect(m_fromCheck, &QCheckBox::toggled, m_fromEdit, &QWidget::setEnabled);
    connect(m_untilCheck, &QCheckBox::toggled, m_untilEdit, &QWidget::setEnabled);

    m_pathEdit = lineEdit(this, QStringLiteral("payloadPathEdit"), tr("Payload path, e.g. email"),
        tr("A dotted path of keys into the payload, e.g. email or address.city"));
    m_matchCombo = new QComboBox(this);
    m_matchCombo->setObjectName(QStringLiteral("payloadMatchCombo"));
    m_matchCombo->addItem(tr("equals"), int(PayloadCondition::Match::Equals));
    m_matchCombo->addItem(tr("contains"), int(PayloadCondition::Match::Contains));
    m_valueEdit = lineEdit(this, QStringLiteral("payloadValueEdit"), tr("Value"),
        tr("Compared with the value's text; contains ignores case. Content searches stop after 10 seconds."));

    auto* row1 = new QHBoxLayout;
    row1->addWidget(m_fromCheck);
    row1->addWidget(m_fromEdit);
    row1->addWidget(m_untilCheck);
    row1->addWidget(m_untilEdit);
    row1->addSpacing(12);
    row1->addWidget(m_pathEdit, 2);
    row1->addWidget(m_matchCombo);
    row1->addWidget(m_valueEdit, 2);
    grid->addLayout(row1, 1, 0);

    // Row 2: actions and saved searches.
    m_searchButton = new QPushButton(tr("Search"), this);
    m_searchButton->setObjectName(QStringLiteral("searchButton"));
    m_searchButton->setDefault(true);
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName(QStringLiteral("cancelSearchButton"));
    m_cancelButton->setEnabled(false);
    m_cancelButton->setToolTip(tr("Stop the search that is running (Esc)"));
    m_clearButton = new QPushButton(tr("Clear filters"), this);
    m_clearButton->setObjectName(QStringLiteral("clearFiltersButton"));
    m_savedCombo = new QComboBox(this);
    m_savedCombo->setObjectName(QStringLiteral("savedSearchCombo"));
    m_savedCombo->setMinimumContentsLength(16);
    m_savedCombo->setToolTip(tr("Run a saved search"));
    m_saveButton = new QToolButton(this);
    m_saveButton->setObjectName(QStringLiteral("saveSearchButton"));
    m_saveButton->setText(tr("Save…"));
    m_saveButton->setToolTip(tr("Save these filters under a name"));
    m_deleteSavedButton = new QToolButton(this);
    m_deleteSavedButton->setObjectName(QStringLiteral("deleteSavedSearchButton"));
    m_deleteSavedButton->setText(tr("Delete"));
    m_deleteSavedButton->setToolTip(tr("Delete the chosen saved search"));
    m_messageLabel = new QLabel(this);
    m_messageLabel->setObjectName(QStringLiteral("filterMessage"));
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_messageLabel->hide();

    auto* row2 = new QHBoxLayout;
    row2->addWidget(m_searchButton);
    row2->addWidget(m_cancelButton);
    row2->addWidget(m_clearButton);
    row2->addStretch(1);
    row2->addWidget(new QLabel(tr("Saved:"), this));
    row2->addWidget(m_savedCombo);
    row2->addWidget(m_saveButton);
    row2->addWidget(m_deleteSavedButton);
    grid->addLayout(row2, 2, 0);
    grid->addWidget(m_messageLabel, 3, 0);

    for (QLineEdit* edit : { m_categoryEdit, m_actorEdit, m_correlationEdit, m_pathEdit, m_valueEdit })
        connect(edit, &QLineEdit::returnPressed, this, &EventFilterBar::searchRequested);
    connect(m_searchButton, &QPushButton::clicked, this, &EventFilterBar::searchRequested);
    connect(m_cancelButton, &QPushButton::clicked, this, &EventFilterBar::cancelRequested);
    connect(m_clearButton, &QPushButton::clicked, this, [this] {
        clearFilters();
        Q_EMIT searchRequested();
    });
    connect(m_saveButton, &QToolButton::clicked, this, &EventFilterBar::askToSaveSearch);
    connect(m_deleteSavedButton, &QToolButton::clicked, this, [this] {
        if (m_savedCombo->currentIndex() > 0)
            deleteSavedSearch(m_savedCombo->currentText());
    });
    connect(m_savedCombo, &QComboBox::activated, this, [this](int index) {
        if (index > 0)
            applySavedSearch(m_savedCombo->itemText(index));
    });

    setStreamId({});
    updateTypeButton();
    updateSavedSearches();
}

EventQuery EventFilterBar::query() const
{
    EventQuery query;
    query.streamId = m_streamId;
    query.eventTypes = m_selectedTypes;
    const QString category = m_categoryEdit->text().trimmed();
    if (!category.isEmpty())
        query.categories = { category };
    if (m_fromCheck->isChecked())
        query.from = m_fromEdit->dateTime().toUTC();
    if (m_untilCheck->isChecked())
        query.until = m_untilEdit->dateTime().toUTC();
    query.actor = m_actorEdit->text().trimmed();
    query.correlationId = m_correlationEdit->text().trimmed();
    query.payload.path = m_pathEdit->text().trimmed();
    if (!query.payload.path.isEmpty()) {
        query.payload.match = PayloadCondition::Match(m_matchCombo->currentData().toInt());
        query.payload.value = m_valueEdit->text();
    }
    return query;
}

void EventFilterBar::setQuery(const EventQuery& query)
{
    setStreamId(query.streamId);
    m_selectedTypes = query.eventTypes;
    updateTypeButton();
    m_categoryEdit->setText(query.categories.join(u", "));
    m_fromCheck->setChecked(query.from.isValid());
    if (query.from.isValid())
        m_fromEdit->setDateTime(query.from.toLocalTime());
    m_untilCheck->setChecked(query.until.isValid());
    if (query.until.isValid())
        m_untilEdit->setDateTime(query.until.toLocalTime());
    m_actorEdit->setText(query.actor);
    m_correlationEdit->setText(query.correlationId);
    m_pathEdit->setText(query.payload.path);
    m_matchCombo->setCurrentIndex(m_matchCombo->findData(int(query.payload.match)));
    m_valueEdit->setText(query.payload.value);
}

void EventFilterBar::clearFilters()
{
    EventQuery query;
    query.streamId = m_streamId;
    setQuery(query);
}

void EventFilterBar::setStreamId(const QString& streamId)
{
    m_streamId = streamId;
    m_streamChip->setText(streamId.isEmpty() ? tr("All streams") : tr("Stream %1  ✕").arg(streamId));
    m_streamChip->setEnabled(!streamId.isEmpty());
}

void EventFilterBar::setEventTypes(const QList<EventTypeCount>& types)
{
    m_typesMenu->clear();
    auto* all = m_typesMenu->addAction(tr("All types"));
    all->setObjectName(QStringLiteral("allTypesAction"));
    connect(all, &QAction::triggered, this, [this] {
        m_selectedTypes.clear();
        for (QAction* action : m_typesMenu->actions())
            action->setChecked(false);
        updateTypeButton();
    });
    m_typesMenu->addSeparator();
    for (const EventTypeCount& type : types) {
        QAction* action = m_typesMenu->addAction(tr("%1 (%2)").arg(type.eventType, QLocale().toString(type.count)));
        action->setCheckable(true);
        action->setData(type.eventType);
        action->setChecked(m_selectedTypes.contains(type.eventType));
        connect(action, &QAction::toggled, this, [this, name = type.eventType](bool checked) {
            m_selectedTypes.removeAll(name);
            if (checked)
                m_selectedTypes.append(name);
            updateTypeButton();
        });
    }
}

QStringList EventFilterBar::selectedTypes() const
{
    return m_selectedTypes;
}

void EventFilterBar::updateTypeButton()
{
    if (m_selectedTypes.isEmpty())
        m_typesButton->setText(tr("All types"));
    else if (m_selectedTypes.size() == 1)
        m_typesButton->setText(m_selectedTypes.constFirst());
    else
        m_typesButton->setText(tr("%n types", nullptr, int(m_selectedTypes.size())));
    for (QAction* action : m_typesMenu->actions()) {
        if (action->isCheckable()) {
            const QSignalBlocker blocker(action);
            action->setChecked(m_selectedTypes.contains(action->data().toString()));
        }
    }
}

void EventFilterBar::setSearching(bool searching)
{
    m_cancelButton->setEnabled(searching);
}

void EventFilterBar::setMessage(const QString& message, bool error)
{
    m_messageLabel->setText(error ? tr("⚠ %1").arg(message) : message);
    QFont font = m_messageLabel->font();
    font.setBold(error);
    m_messageLabel->setFont(font);
    m_messageLabel->setVisible(!message.isEmpty());
}

QStringList EventFilterBar::savedSearchNames() const
{
    QSettings settings;
    settings.beginGroup(SavedSearchesGroup);
    QStringList names;
    for (const QString& key : settings.childKeys())
        names.append(settings.value(key).toMap().value(QStringLiteral("name")).toString());
    names.removeAll(QString());
    names.sort(Qt::CaseInsensitive);
    return names;
}

namespace {
/// QSettings keys cannot hold every character a name may have.
QString keyOf(const QString& name)
{
    return QString::fromLatin1(name.toUtf8().toHex());
}
} // namespace

void EventFilterBar::saveSearch(const QString& name)
{
    QSettings settings;
    settings.beginGroup(SavedSearchesGroup);
    settings.setValue(keyOf(name),
        QVariantMap { { QStringLiteral("name"), name },
            { QStringLiteral("query"),
                QString::fromUtf8(QJsonDocument(query().toJson()).toJson(QJsonDocument::Compact)) } });
    settings.endGroup();
    updateSavedSearches();
    m_savedCombo->setCurrentIndex(m_savedCombo->findText(name));
}

bool EventFilterBar::applySavedSearch(const QString& name)
{
    QSettings settings;
    settings.beginGroup(SavedSearchesGroup);
    const QVariantMap entry = settings.value(keyOf(name)).toMap();
    if (entry.isEmpty())
        return false;
    const QJsonDocument document = QJsonDocument::fromJson(entry.value(QStringLiteral("query")).toString().toUtf8());
    if (!document.isObject()) {
        setMessage(tr("The saved search '%1' is damaged; delete it and save it again.").arg(name), true);
        return false;
    }
    setQuery(EventQuery::fromJson(document.object()));
    m_savedCombo->setCurrentIndex(m_savedCombo->findText(name));
    Q_EMIT searchRequested();
    return true;
}

void EventFilterBar::deleteSavedSearch(const QString& name)
{
    QSettings settings;
    settings.beginGroup(SavedSearchesGroup);
    settings.remove(keyOf(name));
    settings.endGroup();
    updateSavedSearches();
}

void EventFilterBar::askToSaveSearch()
{
    bool ok = false;
    const QString current = m_savedCombo->currentIndex() > 0 ? m_savedCombo->currentText() : QString();
    const QString name = QInputDialog::getText(this, tr("Save search"),
        tr("Name for these filters (%1):").arg(query().describe()), QLineEdit::Normal, current, &ok)
                             .trimmed();
    if (ok && !name.isEmpty())
        saveSearch(name);
}

void EventFilterBar::updateSavedSearches()
{
    const QSignalBlocker blocker(m_savedCombo);
    m_savedCombo->clear();
    const QStringList names = savedSearchNames();
    m_savedCombo->addItem(names.isEmpty() ? tr("(none saved)") : tr("Choose…"));
    m_savedCombo->addItems(names);
    m_savedCombo->setEnabled(!names.isEmpty());
    m_deleteSavedButton->setEnabled(!names.isEmpty());
}

} // namespace EventScope
