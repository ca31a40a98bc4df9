#include "filterpillbar.h"

#include "filtereditor.h"
#include "filterpill.h"
#include "flowlayout.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QShortcut>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>

namespace ccpm {

FilterPillBar::FilterPillBar(QWidget *parent)
    : QWidget(parent)
    , m_flow(nullptr)
    , m_add(new QToolButton(this))
    , m_match(new QToolButton(this))
    , m_search(new QLineEdit(this))
    , m_searchDelay(new QTimer(this))
    , m_editor(new FilterEditor(this))
{
    m_add->setText(tr("+ Filter"));
    m_add->setToolTip(tr("Add a filter on a column"));
    m_add->setAutoRaise(true);
    m_match->setCheckable(true);
    m_match->setText(tr("AND"));
    m_match->setToolTip(tr("AND: a row must match every filter. OR: any filter may match. Click to switch."));
    m_match->setVisible(false);
    m_search->setPlaceholderText(tr("Search text columns (Ctrl+F)"));
    m_search->setToolTip(tr("Text typed here is searched in the text columns.\nA filter typed here, such as "
                            "price >= 10 and status in (A, B), becomes pills on Enter."));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(320);
    m_search->setMinimumWidth(230);
    m_search->installEventFilter(this);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(300);
    m_editor->hide();

    auto *flowHost = new QWidget(this);
    m_flow = new FlowLayout(flowHost, 6);
    m_flow->addWidget(m_add);
    m_flow->addWidget(m_match);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(12);
    layout->addWidget(flowHost, 1);
    layout->addWidget(m_search, 0, Qt::AlignTop);

    connect(m_add, &QToolButton::clicked, this, &FilterPillBar::openEditor);
    connect(m_match, &QToolButton::toggled, this, &FilterPillBar::setMatchAny);
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this, &FilterPillBar::emitChanged);
    connect(m_search, &QLineEdit::returnPressed, this, &FilterPillBar::searchReturnPressed);
    connect(m_search, &QLineEdit::textEdited, this, [this] {
        m_lineError.clear();
        QToolTip::hideText();
    });
    connect(m_editor, &FilterEditor::accepted, this, &FilterPillBar::editorAccepted);
    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, &FilterPillBar::focusQuickSearch);
}

void FilterPillBar::setTableSpec(const TableSpec &spec)
{
    m_spec = spec;
    m_editor->hide();
    m_editor->setTableSpec(m_spec);
    m_pills.clear();
    m_filters.clear();
    m_search->clear(); // not under a QSignalBlocker: the line edit's clear button follows textChanged
    m_searchDelay->stop();
    rebuild();
}

Status FilterPillBar::setPills(const QList<StudioFilter> &pills, bool matchAny)
{
    Result<QList<KeysetQuery::Filter>> built = studiofilter::buildFilters(m_spec, pills);
    if (!built)
        return built.error();
    m_pills = pills;
    m_filters = std::move(built).value();
    m_matchAny = matchAny;
    rebuild();
    emitChanged();
    return Done{};
}

Status FilterPillBar::addPill(const StudioFilter &pill)
{
    Result<KeysetQuery::Filter> built = studiofilter::buildFilter(m_spec, pill);
    if (!built)
        return built.error();
    m_pills << pill;
    m_filters << std::move(built).value();
    rebuild();
    emitChanged();
    return Done{};
}

Status FilterPillBar::applyLine(const QString &line)
{
    const Result<studiofilter::ParsedFilterLine> parsed = studiofilter::parseLine(m_spec, line);
    if (!parsed)
        return parsed.error();
    Result<QList<KeysetQuery::Filter>> built = studiofilter::buildFilters(m_spec, parsed->pills);
    if (!built)
        return built.error();
    m_pills << parsed->pills;
    m_filters << std::move(built).value();
    if (parsed->pills.size() > 1)
        m_matchAny = parsed->matchAny;
    rebuild();
    emitChanged();
    return Done{};
}

void FilterPillBar::searchReturnPressed()
{
    const QString line = m_search->text().trimmed();
    if (line.isEmpty())
        return;
    const Result<studiofilter::ParsedFilterLine> parsed = studiofilter::parseLine(m_spec, line);
    if (parsed) {
        m_lineError.clear();
        m_search->clear(); // the line is now pills, not a search (applyLine() emits, stopping the delay)
        if (const Status applied = applyLine(line); !applied)
            m_search->setText(line); // cannot happen: parseLine() built every pill
        return;
    }
    // Not a filter (a plain word searched for): only say why when it starts with a column.
    const qsizetype end = line.indexOf(QRegularExpression(QStringLiteral("[^\\w$]")));
    const bool startsWithColumn =
        m_spec.columnOf(line.left(end < 0 ? line.size() : end)) >= 0 || line.startsWith(QLatin1Char('"'));
    if (!startsWithColumn || end < 0)
        return;
    m_lineError = parsed.error().message;
    QToolTip::showText(m_search->mapToGlobal(QPoint(0, m_search->height())), m_lineError, m_search);
}

void FilterPillBar::removePill(int index)
{
    if (index < 0 || index >= m_pills.size())
        return;
    m_pills.removeAt(index);
    m_filters.removeAt(index);
    if (m_editing == index)
        m_editor->hide();
    m_editing = -1;
    rebuild();
    emitChanged();
}

void FilterPillBar::setMatchAny(bool any)
{
    if (any == m_matchAny)
        return;
    m_matchAny = any;
    rebuild();
    if (m_pills.size() > 1)
        emitChanged();
}

QString FilterPillBar::quickSearch() const
{
    return m_search->text().trimmed();
}

QStringList FilterPillBar::quickSearchColumns() const
{
    return studiofilter::quickSearchColumns(m_spec);
}

void FilterPillBar::focusQuickSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void FilterPillBar::openEditor()
{
    if (m_spec.columns.isEmpty())
        return;
    m_editing = -1;
    StudioFilter start;
    start.column = m_spec.columns.first().name;
    m_editor->start(start, false);
    m_editor->adjustSize();
    m_editor->move(m_add->mapToGlobal(QPoint(0, m_add->height() + 2)));
    m_editor->show();
    m_editor->columnBox()->setFocus(Qt::PopupFocusReason);
}

void FilterPillBar::editPill(int index)
{
    if (index < 0 || index >= m_pills.size())
        return;
    m_editing = index;
    m_editor->start(m_pills.at(index), true);
    m_editor->adjustSize();
    QWidget *anchor = index < m_pillWidgets.size() ? static_cast<QWidget *>(m_pillWidgets.at(index)) : m_add;
    m_editor->move(anchor->mapToGlobal(QPoint(0, anchor->height() + 2)));
    m_editor->show();
    QWidget *value = m_editor->valueEdit()->isHidden() ? static_cast<QWidget *>(m_editor->opBox())
                                                       : static_cast<QWidget *>(m_editor->valueEdit());
    value->setFocus(Qt::PopupFocusReason);
}

void FilterPillBar::editorAccepted(const StudioFilter &pill)
{
    Result<KeysetQuery::Filter> built = studiofilter::buildFilter(m_spec, pill);
    if (!built)
        return; // the editor checked it; the spec cannot have changed since
    if (m_editing >= 0 && m_editing < m_pills.size()) {
        m_pills[m_editing] = pill;
        m_filters[m_editing] = std::move(built).value();
    } else {
        m_pills << pill;
        m_filters << std::move(built).value();
    }
    m_editing = -1;
    rebuild();
    emitChanged();
}

void FilterPillBar::rebuild()
{
    // Later: a pill may be rebuilding from inside its own signal (× clicked).
    auto retire = [this](QWidget *old) {
        m_flow->removeWidget(old);
        old->hide();
        old->deleteLater();
    };
    for (FilterPill *pill : std::as_const(m_pillWidgets))
        retire(pill);
    for (QLabel *label : std::as_const(m_connectors))
        retire(label);
    m_pillWidgets.clear();
    m_connectors.clear();
    QPalette muted = palette();
    muted.setColor(QPalette::WindowText, palette().color(QPalette::PlaceholderText));
    int at = 0; // before "+ Filter"
    for (int i = 0; i < m_pills.size(); ++i) {
        if (i > 0) {
            auto *connector = new QLabel(m_matchAny ? tr("or") : tr("and"), this);
            connector->setPalette(muted);
            m_flow->insertWidget(at++, connector);
            m_connectors << connector;
        }
        auto *pill = new FilterPill(studiofilter::describe(m_spec, m_pills.at(i)), this);
        connect(pill, &FilterPill::editRequested, this,
                [this, pill] { editPill(int(m_pillWidgets.indexOf(pill))); });
        connect(pill, &FilterPill::removeRequested, this,
                [this, pill] { removePill(int(m_pillWidgets.indexOf(pill))); });
        m_flow->insertWidget(at++, pill);
        m_pillWidgets << pill;
    }
    m_match->setVisible(m_pills.size() > 1);
    {
        const QSignalBlocker blocker(m_match);
        m_match->setChecked(m_matchAny);
    }
    m_match->setText(m_matchAny ? tr("OR") : tr("AND"));
}

void FilterPillBar::emitChanged()
{
    m_searchDelay->stop();
    emit filtersChanged(m_filters, m_matchAny, quickSearch());
}

bool FilterPillBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Backspace && m_search->text().isEmpty() && !m_pills.isEmpty()) {
            removePill(int(m_pills.size()) - 1);
            return true;
        }
        if (key->key() == Qt::Key_Escape && !m_search->text().isEmpty()) {
            m_search->clear();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace ccpm
