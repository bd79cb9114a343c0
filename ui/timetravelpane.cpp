// SPDX-License-Identifier: Apache-2.0
#include "timetravelpane.h"
#include "statustint.h"

#include "engine/engine.h"
#include "eventstore/sqleventstore.h"
#include "historystepmodel.h"
#include "modelroles.h"
#include "timetravelmodel.h"

#include <QBoxLayout>
#include <QDateTimeEdit>
#include <QEvent>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QToolButton>
#include <QtConcurrent>

namespace EventScope {

namespace {

QColor changeTint(TimeTravelModel::ChangeKind kind)
{
    switch (kind) {
    case TimeTravelModel::ChangeKind::Added:
        return StatusTint::Good;
    case TimeTravelModel::ChangeKind::Changed:
        return StatusTint::Attention;
    case TimeTravelModel::ChangeKind::Removed:
        return StatusTint::Bad;
    case TimeTravelModel::ChangeKind::Unchanged:
        break;
    }
    return {};
}

/// Colours the rows of a TimeTravelModel by their change against the previous version.
class ChangeDelegate final : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const auto kind = TimeTravelModel::ChangeKind(index.data(TimeTravelModel::ChangeKindRole).toInt());
        if (kind == TimeTravelModel::ChangeKind::Unchanged)
            return;
        option->backgroundBrush = StatusTint::over(option->palette, changeTint(kind));
        if (index.column() == TimeTravelModel::ColumnChange)
            option->font.setBold(true);
        if (kind == TimeTravelModel::ChangeKind::Removed && index.column() == TimeTravelModel::ColumnPath)
            option->font.setStrikeOut(true);
    }
};

QToolButton* makeStepButton(
    QWidget* parent, const QString& name, QStyle::StandardPixmap icon, const QString& text, const QString& toolTip)
{
    auto* button = new QToolButton(parent);
    button->setObjectName(name);
    button->setIcon(parent->style()->standardIcon(icon));
    button->setText(text);
    button->setToolTip(toolTip);
    button->setAccessibleName(text);
    // Text beside the icon: the standard media icons are dark and hard to see on a dark palette.
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAutoRaise(true);
    return button;
}

} // namespace

struct TimeTravelPane::Loaded {
    quint64 generation = 0;
    QString streamId;
    std::shared_ptr<const StreamHistory> history;
    QString aggregateType;
    QString error;
};

TimeTravelPane::TimeTravelPane(QWidget* parent)
    : QWidget(parent)
    , m_fieldModel(new TimeTravelModel(this))
    , m_stepModel(new HistoryStepModel(this))
{
    setObjectName(QStringLiteral("timeTravelPane"));
    setUpWidgets();
    showVersion(NoStreamVersion);
}

TimeTravelPane::~TimeTravelPane() = default;

void TimeTravelPane::setUpWidgets()
{
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("timeTravelHeader"));
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont headerFont = m_header->font();
    headerFont.setBold(true);
    m_header->setFont(headerFont);

    m_foldLabel = new QLabel(this);
    m_foldLabel->setObjectName(QStringLiteral("timeTravelFoldLabel"));
    m_foldLabel->setWordWrap(true);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("timeTravelStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();

    m_first = makeStepButton(this, QStringLiteral("timeTravelFirst"), QStyle::SP_MediaSkipBackward, tr("First"),
        tr("The first version (Home)"));
    m_previous = makeStepButton(this, QStringLiteral("timeTravelPrevious"), QStyle::SP_MediaSeekBackward, tr("Back"),
        tr("One version back (Left)"));
    m_next = makeStepButton(this, QStringLiteral("timeTravelNext"), QStyle::SP_MediaSeekForward, tr("Next"),
        tr("One version forward (Right)"));
    m_last = makeStepButton(
        this, QStringLiteral("timeTravelLast"), QStyle::SP_MediaSkipForward, tr("Last"), tr("The last version (End)"));

    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("timeTravelSlider"));
    m_slider->setToolTip(tr("The version of the stream to show"));
    m_slider->setAccessibleName(tr("Version"));

    m_jump = new QSpinBox(this);
    m_jump->setObjectName(QStringLiteral("timeTravelJump"));
    m_jump->setPrefix(tr("Jump to v"));
    m_jump->setKeyboardTracking(false);
    m_jump->setToolTip(tr("Type a version and press Enter to show it"));
    m_jump->setAccessibleName(tr("Jump to version"));

    m_timeLabel = new QLabel(tr("As of"), this);
    m_timeEdit = new QDateTimeEdit(this);
    m_timeEdit->setObjectName(QStringLiteral("timeTravelTimeEdit"));
    // UTC, as the header shows the event times.
    m_timeEdit->setTimeSpec(Qt::UTC);
    m_timeEdit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    m_timeEdit->setCalendarPopup(true);
    m_timeEdit->setMinimumDateTime(QDateTime(QDate(1970, 1, 1), QTime(0, 0), Qt::UTC));
    m_timeEdit->setToolTip(tr("A moment (UTC): press Enter or Go to show the stream as it was then, at the last "
                              "version recorded at or before it."));
    m_timeEdit->setAccessibleName(tr("Time to travel to (UTC)"));
    m_timeLabel->setBuddy(m_timeEdit);
    m_timeEdit->installEventFilter(this);
    m_timeGo = new QPushButton(tr("Go"), this);
    m_timeGo->setObjectName(QStringLiteral("timeTravelTimeGo"));
    m_timeGo->setAutoDefault(false);
    m_timeGo->setToolTip(tr("Show the last version recorded at or before this time"));
    m_timeGo->setAccessibleName(tr("Go to this time"));

    auto* timeRow = new QHBoxLayout;
    timeRow->addWidget(m_timeLabel);
    timeRow->addWidget(m_timeEdit);
    timeRow->addWidget(m_timeGo);
    timeRow->addStretch(1);

    auto* navigation = new QHBoxLayout;
    navigation->addWidget(m_first);
    navigation->addWidget(m_previous);
    navigation->addWidget(m_slider, 1);
    navigation->addWidget(m_next);
    navigation->addWidget(m_last);
    navigation->addWidget(m_jump);

    m_steps = new QListView(this);
    m_steps->setObjectName(QStringLiteral("timeTravelSteps"));
    m_steps->setModel(m_stepModel);
    m_steps->setUniformItemSizes(true);
    m_steps->setSpacing(1);
    m_steps->setSelectionMode(QAbstractItemView::SingleSelection);
    m_steps->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_steps->setToolTip(tr("One step per event: select one to see the state after it; double-click or press Enter "
                           "to select the event in the events table."));
    m_steps->setAccessibleName(tr("Versions of the stream"));

    m_fields = new QTableView(this);
    m_fields->setObjectName(QStringLiteral("timeTravelFields"));
    m_fields->setModel(m_fieldModel);
    m_fields->setItemDelegate(new ChangeDelegate(m_fields));
    m_fields->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_fields->setSelectionMode(QAbstractItemView::SingleSelection);
    m_fields->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_fields->setWordWrap(false);
    m_fields->setAlternatingRowColors(false); // the change colours are the row colours
    m_fields->verticalHeader()->hide();
    m_fields->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_fields->verticalHeader()->setDefaultSectionSize(m_fields->fontMetrics().height() + 8);
    m_fields->horizontalHeader()->setStretchLastSection(true);
    m_fields->horizontalHeader()->setHighlightSections(false);
    m_fields->setColumnWidth(TimeTravelModel::ColumnPath, 170);
    m_fields->setColumnWidth(TimeTravelModel::ColumnValue, 170);
    m_fields->setColumnWidth(TimeTravelModel::ColumnChange, 75);
    m_fields->setColumnWidth(TimeTravelModel::ColumnOldValue, 140);
    m_fields->setAccessibleName(tr("Fields at this version"));
    m_fields->setToolTip(tr("Fields at this version: green added, amber changed, red removed. Double-click a field "
                            "(or press Enter) to select the event that set it in the events table."));

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("timeTravelSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_steps);
    splitter->addWidget(m_fields);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 280, 720 });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(m_foldLabel);
    layout->addLayout(navigation);
    layout->addLayout(timeRow);
    layout->addWidget(m_status);
    layout->addWidget(splitter, 1);

    connect(m_first, &QToolButton::clicked, this, [this] { setVersion(0); });
    connect(m_previous, &QToolButton::clicked, this, [this] { setVersion(version() - 1); });
    connect(m_next, &QToolButton::clicked, this, [this] { setVersion(version() + 1); });
    connect(m_last, &QToolButton::clicked, this, [this] {
        if (m_history)
            setVersion(m_history->lastVersion());
    });
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        if (!m_updating)
            setVersion(value);
    });
    connect(m_jump, &QSpinBox::valueChanged, this, [this](int value) {
        if (!m_updating)
            setVersion(value);
    });
    connect(m_timeEdit, &QDateTimeEdit::dateTimeChanged, this, [this] {
        if (!m_updating)
            m_timeEdited = true;
    });
    // Enter (or leaving the field after typing) goes there; so does Go, also for the time shown unchanged.
    connect(m_timeEdit, &QDateTimeEdit::editingFinished, this, [this] {
        if (m_timeEdited)
            goToTypedTime();
    });
    connect(m_timeGo, &QPushButton::clicked, this, &TimeTravelPane::goToTypedTime);
    connect(m_steps->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
        if (!m_updating && current.isValid())
            setVersion(current.row());
    });
    connect(m_steps, &QListView::activated, this, &TimeTravelPane::onStepActivated);
    connect(m_fields, &QTableView::activated, this, &TimeTravelPane::onFieldActivated);
    connect(m_fieldModel, &TimeTravelModel::versionChanged, this, [this](qint64 version) {
        showVersion(version);
        Q_EMIT versionChanged(version);
    });

    for (QWidget* widget : std::initializer_list<QWidget*> {
             m_steps, m_fields, m_slider, m_first, m_previous, m_next, m_last, m_header, m_foldLabel, m_status })
        widget->installEventFilter(this);
    setFocusPolicy(Qt::StrongFocus);
}

void TimeTravelPane::setEngine(std::shared_ptr<Engine> engine)
{
    m_engine = std::move(engine);
    if (!m_streamId.isEmpty())
        reload();
}

void TimeTravelPane::showStream(const QString& streamId)
{
    m_streamId = streamId;
    m_pendingVersion = NoStreamVersion;
    load();
}

void TimeTravelPane::reload()
{
    if (!m_loading)
        m_pendingVersion = version();
    load();
}

void TimeTravelPane::load()
{
    const quint64 generation = ++m_generation;
    m_history.reset();
    m_aggregateType.clear();
    m_stepModel->setHistory(nullptr);
    m_fieldModel->setHistory(nullptr);
    updateFoldLabel();

    if (m_streamId.isEmpty()) {
        m_loading = false;
        setStatus({}, false);
        updateHeader();
        return;
    }
    if (!m_engine) {
        m_loading = false;
        setStatus(tr("No store is open: open one to travel through the stream '%1'.").arg(m_streamId), true);
        updateHeader();
        return;
    }
    m_loading = true;
    setStatus(tr("Loading…"), false);
    updateHeader();

    auto* watcher = new QFutureWatcher<Loaded>(this);
    connect(watcher, &QFutureWatcher<Loaded>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const Loaded loaded = watcher->result();
        if (loaded.generation != m_generation)
            return; // the user moved on
        onLoaded(loaded);
    });
    watcher->setFuture(QtConcurrent::run([engine = m_engine, streamId = m_streamId, generation] {
        Loaded loaded;
        loaded.generation = generation;
        loaded.streamId = streamId;
        QList<RecordedEvent> events;
        for (;;) {
            auto page = engine->store()->readStream(streamId, events.size(), ReadPageSize);
            if (!page) {
                loaded.error = tr("Could not read the events of '%1': %2").arg(streamId, page.error().message());
                return loaded;
            }
            const qsizetype read = page->size();
            events.append(std::move(page).value());
            if (read < ReadPageSize)
                break;
        }
        if (events.isEmpty())
            return loaded;
        const Repository::Factory factory = engine->aggregateFactory(streamId);
        if (factory) {
            if (const auto aggregate = factory(streamId))
                loaded.aggregateType = aggregate->aggregateType();
        }
        loaded.history
            = std::make_shared<const StreamHistory>(StreamHistory::build(events, &engine->registry(), factory));
        return loaded;
    }));
}

void TimeTravelPane::onLoaded(const Loaded& loaded)
{
    m_loading = false;
    m_history = loaded.history;
    m_aggregateType = loaded.aggregateType;
    const StreamVersion wanted = m_pendingVersion;
    m_pendingVersion = NoStreamVersion;

    m_updating = true;
    m_stepModel->setHistory(m_history);
    m_updating = false;
    m_fieldModel->setHistory(m_history);
    if (m_history && wanted != NoStreamVersion)
        m_fieldModel->setVersion(wanted);
    showVersion(m_fieldModel->version());
    updateFoldLabel();

    if (!loaded.error.isEmpty())
        setStatus(loaded.error + u' ' + tr("Check the connection, then open the stream again."), true);
    else if (!m_history)
        setStatus(tr("The stream '%1' has no events.").arg(m_streamId), false);
    else if (!m_fieldModel->errorText().isEmpty())
        setStatus(m_fieldModel->errorText(), true);
    else
        setStatus({}, false);
    Q_EMIT loadFinished();
}

StreamVersion TimeTravelPane::version() const
{
    if (m_loading)
        return m_pendingVersion;
    return m_fieldModel->version();
}

void TimeTravelPane::setVersion(StreamVersion version)
{
    if (m_loading) {
        m_pendingVersion = std::max<StreamVersion>(version, 0);
        return;
    }
    if (!m_history)
        return;
    m_fieldModel->setVersion(version);
}

bool TimeTravelPane::showTime(const QDateTime& time)
{
    if (m_loading || !m_history || m_history->steps().isEmpty())
        return false;
    const StreamVersion at = m_fieldModel->versionAt(time);
    if (at == NoStreamVersion) {
        const QString format = QStringLiteral("yyyy-MM-dd HH:mm:ss");
        setStatus(tr("The stream did not exist yet at %1 UTC; its first event is from %2 UTC. Pick a later time.")
                      .arg(time.toUTC().toString(format),
                          m_history->steps().constFirst().recordedAt.toUTC().toString(format)),
            true);
        m_timeNote = true;
    } else {
        m_fieldModel->setVersion(at);
        showVersion(m_fieldModel->version()); // also when the version stays: a note goes
    }
    // The field keeps the time asked for (the header has the event's); stepping shows the versions' times again.
    m_updating = true;
    m_timeEdit->setDateTime(time.toUTC());
    m_updating = false;
    m_timeEdited = false;
    return at != NoStreamVersion;
}

void TimeTravelPane::goToTypedTime()
{
    m_timeEdited = false;
    // The field shows seconds: it means the whole second, whatever milliseconds it holds from a version's time.
    const QDateTime time = m_timeEdit->dateTime();
    showTime(time.addMSecs(999 - time.time().msec()));
}

void TimeTravelPane::showVersion(StreamVersion version)
{
    if (m_timeNote) {
        m_timeNote = false;
        const QString error = m_history ? m_fieldModel->errorText() : QString();
        setStatus(error, !error.isEmpty());
    }
    const bool has = m_history && m_history->contains(version);
    const StreamVersion last = m_history ? m_history->lastVersion() : NoStreamVersion;

    m_updating = true;
    m_slider->setRange(0, int(std::max<StreamVersion>(last, 0)));
    m_slider->setPageStep(int(std::max<StreamVersion>(1, (last + 1) / 10)));
    m_slider->setValue(has ? int(version) : 0);
    m_jump->setRange(0, int(std::max<StreamVersion>(last, 0)));
    m_jump->setValue(has ? int(version) : 0);
    if (has)
        m_timeEdit->setDateTime(m_history->steps().at(version).recordedAt.toUTC());
    m_timeEdited = false;
    if (has) {
        const QModelIndex step = m_stepModel->index(int(version), 0);
        m_steps->selectionModel()->setCurrentIndex(step, QItemSelectionModel::ClearAndSelect);
        m_steps->scrollTo(step);
    } else {
        m_steps->selectionModel()->clear();
    }
    m_updating = false;

    m_slider->setEnabled(has && last > 0);
    m_jump->setEnabled(has && last > 0);
    m_first->setEnabled(has && version > 0);
    m_previous->setEnabled(has && version > 0);
    m_next->setEnabled(has && version < last);
    m_last->setEnabled(has && version < last);
    m_timeEdit->setEnabled(has);
    m_timeGo->setEnabled(has);
    updateHeader();
}

void TimeTravelPane::updateHeader()
{
    if (m_streamId.isEmpty()) {
        m_header->setText(tr("No stream chosen: pick a stream to travel through its history."));
        m_header->setToolTip({});
        return;
    }
    const StreamVersion version = m_fieldModel->version();
    if (m_loading || !m_history || !m_history->contains(version)) {
        m_header->setText(m_streamId);
        m_header->setToolTip({});
        return;
    }
    const HistoryStep& step = m_history->steps().at(version);
    const int changed = int(step.changes.size());
    const QString changes = changed == 0 ? tr("no field changed")
        : changed == 1                   ? tr("1 field changed")
                                         : tr("%1 fields changed").arg(changed);
    m_header->setText(
        tr("%1 at version %2 of %3 · %4 · %5 UTC · %6")
            .arg(m_streamId)
            .arg(version)
            .arg(m_history->lastVersion())
            .arg(step.eventType, step.recordedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), changes));
    QString tip = tr("Event %1 at position %2 of $all, recorded %3 (local time).")
                      .arg(step.eventId.toString(QUuid::WithoutBraces))
                      .arg(step.position)
                      .arg(step.recordedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    if (step.isUpcasted())
        tip += u' '
            + tr("Stored with schema version %1, upcasted to %2.")
                  .arg(step.storedSchemaVersion)
                  .arg(step.schemaVersion);
    m_header->setToolTip(tip);
}

void TimeTravelPane::updateFoldLabel()
{
    if (!m_history) {
        m_foldLabel->clear();
        m_foldLabel->hide();
        return;
    }
    m_foldLabel->show();
    m_foldLabel->setToolTip(m_history->foldLabel());
    if (m_history->isGeneric()) {
        m_foldLabel->setText(tr("Generic JSON merge of payloads — no registered domain knows this stream, so the "
                                "fields are what the events wrote (merged in order), not an aggregate's state."));
        m_foldLabel->setProperty("fold", QStringLiteral("generic"));
    } else {
        m_foldLabel->setText(tr("Aggregate state: %1, replayed through its domain as the repository loads it.")
                                 .arg(m_aggregateType.isEmpty() ? tr("the registered aggregate") : m_aggregateType));
        m_foldLabel->setProperty("fold", QStringLiteral("aggregate"));
    }
    // The generic fold stands out: it is easy to mistake for an aggregate's state.
    QPalette palette = this->palette();
    if (m_history->isGeneric()) {
        m_foldLabel->setAutoFillBackground(true);
        palette.setColor(QPalette::Window, StatusTint::over(palette, changeTint(TimeTravelModel::ChangeKind::Changed)));
        palette.setColor(QPalette::WindowText, palette.color(QPalette::Text));
    } else {
        m_foldLabel->setAutoFillBackground(false);
    }
    m_foldLabel->setPalette(palette);
    m_foldLabel->setMargin(m_history->isGeneric() ? 4 : 0);
}

void TimeTravelPane::setStatus(const QString& text, bool isError)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    m_status->setProperty("error", isError);
    QPalette palette = this->palette();
    if (isError)
        palette.setColor(QPalette::WindowText, StatusTint::errorText(palette));
    m_status->setPalette(palette);
}

void TimeTravelPane::onStepActivated(const QModelIndex& index)
{
    if (index.isValid())
        Q_EMIT eventActivated(index.data(PositionRole).toLongLong());
}

void TimeTravelPane::onFieldActivated(const QModelIndex& index)
{
    // Any cell of the row: the keys that would move to the "Set by" column step through versions instead.
    if (!index.isValid())
        return;
    if (index.data(StreamVersionRole).toLongLong() == NoStreamVersion)
        return; // the field has the empty aggregate's value: no event set it
    Q_EMIT eventActivated(index.data(PositionRole).toLongLong());
}

bool TimeTravelPane::stepKey(int key)
{
    if (!m_history || m_loading)
        return false;
    switch (key) {
    case Qt::Key_Left:
        setVersion(version() - 1);
        return true;
    case Qt::Key_Right:
        setVersion(version() + 1);
        return true;
    case Qt::Key_Home:
        setVersion(0);
        return true;
    case Qt::Key_End:
        setVersion(m_history->lastVersion());
        return true;
    }
    return false;
}

bool TimeTravelPane::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_timeEdit) {
        // QDateTimeEdit moves to the next section by itself once one is full ("21" hours), and then takes the ':' a
        // person types next as "move on" once more: "21:06:17" would land in the seconds. A separator typed right
        // after such a move, while the new section is still selected whole, is the one already passed: dropped.
        if (event->type() != QEvent::KeyPress)
            return QWidget::eventFilter(watched, event);
        const QString typed = static_cast<QKeyEvent*>(event)->text();
        const auto* line = m_timeEdit->findChild<QLineEdit*>();
        return line && typed.size() == 1 && !typed.front().isDigit() && line->hasSelectedText()
            && line->selectionStart() > 0
            && line->selectedText() == m_timeEdit->sectionText(m_timeEdit->currentSection())
            && line->text().at(line->selectionStart() - 1) == typed.front();
    }
    if (event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        const auto modifiers = key->modifiers() & ~Qt::KeypadModifier;
        if (modifiers == Qt::NoModifier && stepKey(key->key()))
            return true;
    }
    return QWidget::eventFilter(watched, event);
}

void TimeTravelPane::keyPressEvent(QKeyEvent* event)
{
    if ((event->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier && stepKey(event->key())) {
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

void TimeTravelPane::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_updating) {
        // Colours derived from the palette follow a switch between light and dark.
        m_updating = true;
        updateFoldLabel();
        setStatus(m_status->text(), m_status->property("error").toBool());
        m_updating = false;
    }
}

} // namespace EventScope
