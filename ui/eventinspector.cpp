// SPDX-License-Identifier: Apache-2.0
#include "eventinspector.h"

#include "domain/eventtyperegistry.h"
#include "jsontreemodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace EventScope {

namespace {

/// \a json indented by two spaces per level, keys and values exactly as written (QJsonDocument would sort the
/// keys). Text that is not JSON comes back unchanged.
QString prettyJson(const QByteArray& json)
{
    if (QJsonDocument::fromJson(json).isNull())
        return QString::fromUtf8(json);
    QByteArray out;
    out.reserve(json.size() * 2);
    int depth = 0;
    bool inString = false;
    const auto newline = [&] {
        out += '\n';
        out += QByteArray(depth * 2, ' ');
    };
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json.at(i);
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < json.size())
                out += json.at(++i);
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case ' ':
        case '\t':
        case '\n':
        case '\r':
            break;
        case '"':
            inString = true;
            out += c;
            break;
        case '{':
        case '[': {
            // An empty container stays on one line.
            qsizetype next = i + 1;
            while (next < json.size() && QByteArrayView(" \t\r\n").contains(json.at(next)))
                ++next;
            if (next < json.size() && (json.at(next) == '}' || json.at(next) == ']')) {
                out += c;
                out += json.at(next);
                i = next;
                break;
            }
            out += c;
            ++depth;
            newline();
            break;
        }
        case '}':
        case ']':
            --depth;
            newline();
            out += c;
            break;
        case ',':
            out += c;
            newline();
            break;
        case ':':
            out += ": ";
            break;
        default:
            out += c;
        }
    }
    return QString::fromUtf8(out);
}

QPlainTextEdit* rawPane(const QString& objectName, const QString& toolTip)
{
    auto* raw = new QPlainTextEdit;
    raw->setObjectName(objectName);
    raw->setReadOnly(true);
    raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    raw->setToolTip(toolTip);
    return raw;
}

/// A button that reads like a link: for the correlation and causation of an event.
QPushButton* linkButton(const QString& objectName)
{
    auto* button = new QPushButton;
    button->setObjectName(objectName);
    button->setFlat(true);
    button->setCursor(Qt::PointingHandCursor);
    button->setStyleSheet(QStringLiteral("QPushButton { color: palette(link); text-align: left; border: none; "
                                         "padding: 1px 0px; } QPushButton:focus { text-decoration: underline; }"));
    return button;
}

} // namespace

EventInspector::EventInspector(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    m_stack->setObjectName(QStringLiteral("inspectorStack"));
    layout->addWidget(m_stack);

    m_placeholder = new QLabel(tr("Select an event to inspect it"));
    m_placeholder->setObjectName(QStringLiteral("inspectorPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setEnabled(false);
    m_stack->addWidget(m_placeholder);

    auto* page = new QWidget;
    auto* pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(6, 6, 6, 6);
    m_header = new QLabel;
    m_header->setObjectName(QStringLiteral("inspectorHeader"));
    m_header->setTextFormat(Qt::RichText);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_header->setWordWrap(true);
    pageLayout->addWidget(m_header);

    auto* links = new QHBoxLayout;
    m_correlationButton = linkButton(QStringLiteral("correlationButton"));
    m_correlationButton->setToolTip(tr("Show every event of this correlation, as a tree of causes"));
    connect(m_correlationButton, &QPushButton::clicked, this, [this] { Q_EMIT correlationRequested(m_correlationId); });
    m_causationButton = linkButton(QStringLiteral("causationButton"));
    m_causationButton->setToolTip(tr("Go to the event that caused this one"));
    connect(m_causationButton, &QPushButton::clicked, this, [this] { Q_EMIT causationRequested(m_causationId); });
    links->addWidget(m_correlationButton);
    links->addWidget(m_causationButton);
    links->addStretch(1);
    pageLayout->addLayout(links);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("inspectorTabs"));
    m_payload = makeJsonPane(QStringLiteral("payload"), tr("payload"));
    m_metadata = makeJsonPane(QStringLiteral("metadata"), tr("metadata"));
    m_tabs->addTab(m_payload.widget, tr("Payload"));
    m_tabs->addTab(m_metadata.widget, tr("Metadata"));

    m_upcastTab = new QWidget;
    m_upcastTab->setObjectName(QStringLiteral("upcastTab"));
    auto* upcastLayout = new QHBoxLayout(m_upcastTab);
    auto* splitter = new QSplitter(Qt::Horizontal);
    upcastLayout->addWidget(splitter);
    const auto side = [&](QLabel*& label, QPlainTextEdit*& raw, const QString& name, const QString& toolTip) {
        auto* box = new QWidget;
        auto* boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(0, 0, 0, 0);
        label = new QLabel;
        label->setObjectName(name + QStringLiteral("Label"));
        raw = rawPane(name + QStringLiteral("Raw"), toolTip);
        boxLayout->addWidget(label);
        boxLayout->addWidget(raw);
        splitter->addWidget(box);
    };
    side(m_storedLabel, m_storedRaw, QStringLiteral("stored"), tr("The payload as it is stored"));
    side(m_upcastedLabel, m_upcastedRaw, QStringLiteral("upcasted"),
        tr("The payload as the application reads it, brought to the current schema version by the upcasters"));
    pageLayout->addWidget(m_tabs, 1);
    m_stack->addWidget(page);
    m_stack->setCurrentWidget(m_placeholder);
}

EventInspector::~EventInspector() = default;

EventInspector::JsonPane EventInspector::makeJsonPane(const QString& name, const QString& what)
{
    JsonPane pane;
    pane.widget = new QWidget;
    pane.widget->setObjectName(name + QStringLiteral("Tab"));
    auto* layout = new QVBoxLayout(pane.widget);
    auto* splitter = new QSplitter(Qt::Vertical);

    pane.model = new JsonTreeModel(pane.widget);
    pane.tree = new QTreeView;
    pane.tree->setObjectName(name + QStringLiteral("Tree"));
    pane.tree->setModel(pane.model);
    pane.tree->setUniformRowHeights(true);
    pane.tree->setAlternatingRowColors(true);
    pane.tree->setToolTip(tr("The %1 as a tree; select a value to copy it").arg(what));
    pane.tree->header()->setStretchLastSection(false);
    pane.tree->header()->setSectionResizeMode(JsonTreeModel::ColumnValue, QHeaderView::Stretch);
    splitter->addWidget(pane.tree);

    pane.raw = rawPane(name + QStringLiteral("Raw"), tr("The %1 as JSON, keys in the order they are stored").arg(what));
    splitter->addWidget(pane.raw);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    auto* buttons = new QHBoxLayout;
    pane.copyJson = new QPushButton(tr("Copy JSON"));
    pane.copyJson->setObjectName(name + QStringLiteral("CopyJson"));
    pane.copyJson->setToolTip(tr("Copy the whole %1 as indented JSON to the clipboard").arg(what));
    pane.copyValue = new QPushButton(tr("Copy value"));
    pane.copyValue->setObjectName(name + QStringLiteral("CopyValue"));
    pane.copyValue->setToolTip(tr("Copy the selected value to the clipboard (text as it is, anything else as JSON)"));
    pane.copyValue->setEnabled(false);
    buttons->addWidget(pane.copyJson);
    buttons->addWidget(pane.copyValue);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    QPlainTextEdit* raw = pane.raw;
    QTreeView* tree = pane.tree;
    QPushButton* copyValue = pane.copyValue;
    connect(
        pane.copyJson, &QPushButton::clicked, this, [raw] { QApplication::clipboard()->setText(raw->toPlainText()); });
    const auto copySelected = [tree] {
        const QModelIndex current = tree->currentIndex();
        if (!current.isValid())
            return;
        const QJsonValue value = current.data(JsonTreeModel::JsonValueRole).toJsonValue();
        QApplication::clipboard()->setText(
            value.isString() ? value.toString() : current.data(JsonTreeModel::JsonTextRole).toString());
    };
    connect(pane.copyValue, &QPushButton::clicked, this, copySelected);
    auto* copyAction = new QAction(tr("Copy value"), tree);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    connect(copyAction, &QAction::triggered, this, copySelected);
    tree->addAction(copyAction);
    connect(pane.model, &QAbstractItemModel::modelReset, this, [copyValue] { copyValue->setEnabled(false); });
    connect(tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [copyValue](const QModelIndex& current) { copyValue->setEnabled(current.isValid()); });
    return pane;
}

void EventInspector::setRegistry(const EventTypeRegistry* registry)
{
    m_registry = registry;
    if (m_event)
        showEvent(*m_event);
}

void EventInspector::showJson(JsonPane& pane, const QByteArray& text, const QString& rootName)
{
    const QJsonDocument document = QJsonDocument::fromJson(text);
    pane.model->setJson(document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array()), rootName);
    pane.tree->expandToDepth(1);
    pane.tree->resizeColumnToContents(JsonTreeModel::ColumnKey);
    pane.raw->setPlainText(prettyJson(text));
}

void EventInspector::showEvent(const RecordedEvent& event)
{
    m_event = event;
    const QJsonObject metadata = event.metadataObject();
    m_correlationId = metadata.value(QLatin1String("correlationId")).toString();
    m_causationId = QUuid::fromString(metadata.value(QLatin1String("causationId")).toString());

    const int current = m_registry ? m_registry->currentVersion(event.eventType) : 0;
    const QString version = current > event.schemaVersion
        ? tr("stored v%1, read as v%2").arg(event.schemaVersion).arg(current)
        : tr("v%1").arg(event.schemaVersion);
    const QDateTime utc = event.recordedAt.toUTC();
    const QString header = tr("<b>%1</b> %2<br>%3@%4 &middot; position %5<br>%6 UTC &middot; %7 (local)<br>"
                              "event %8")
                               .arg(event.eventType.toHtmlEscaped(), version, event.streamId.toHtmlEscaped())
                               .arg(event.streamVersion)
                               .arg(event.position)
                               .arg(utc.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")),
                                   utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz t")),
                                   event.eventId.toString(QUuid::WithoutBraces));
    m_header->setText(header);

    m_correlationButton->setVisible(!m_correlationId.isEmpty());
    // Short forms keep the pane narrow; the whole ids are in the tool tips and the metadata tab.
    const auto shortId = [](const QString& id) { return id.size() > 13 ? id.left(8) + QStringLiteral("…") : id; };
    m_correlationButton->setText(tr("Correlation %1").arg(shortId(m_correlationId)));
    m_correlationButton->setToolTip(tr("Show every event of correlation %1, as a tree of causes").arg(m_correlationId));
    m_causationButton->setVisible(!m_causationId.isNull());
    m_causationButton->setText(tr("Caused by %1").arg(shortId(m_causationId.toString(QUuid::WithoutBraces))));
    m_causationButton->setToolTip(
        tr("Go to the event that caused this one (%1)").arg(m_causationId.toString(QUuid::WithoutBraces)));

    showJson(m_payload, event.payload, QStringLiteral("payload"));
    showJson(m_metadata, event.metadata, QStringLiteral("metadata"));
    showUpcast(event);
    m_stack->setCurrentIndex(1);
}

void EventInspector::showUpcast(const RecordedEvent& event)
{
    const int upcastIndex = m_tabs->indexOf(m_upcastTab);
    const int current = m_registry ? m_registry->currentVersion(event.eventType) : 0;
    if (current <= event.schemaVersion) {
        if (upcastIndex >= 0)
            m_tabs->removeTab(upcastIndex);
        return;
    }
    const QString title = tr("Stored v%1 / Upcasted v%2").arg(event.schemaVersion).arg(current);
    if (upcastIndex < 0)
        m_tabs->addTab(m_upcastTab, title);
    else
        m_tabs->setTabText(upcastIndex, title);
    m_storedLabel->setText(tr("Stored v%1").arg(event.schemaVersion));
    m_storedRaw->setPlainText(prettyJson(event.payload));
    const auto decoded = m_registry->decodePayload(event);
    if (decoded) {
        m_upcastedLabel->setText(tr("Upcasted v%1").arg(current));
        m_upcastedRaw->setPlainText(prettyJson(QJsonDocument(decoded.value()).toJson(QJsonDocument::Compact)));
    } else {
        m_upcastedLabel->setText(tr("Upcasting to v%1 failed").arg(current));
        m_upcastedRaw->setPlainText(decoded.error().message());
    }
}

void EventInspector::clear()
{
    m_event.reset();
    m_correlationId.clear();
    m_causationId = {};
    m_payload.model->clear();
    m_metadata.model->clear();
    m_payload.raw->clear();
    m_metadata.raw->clear();
    m_stack->setCurrentWidget(m_placeholder);
}

} // namespace EventScope
