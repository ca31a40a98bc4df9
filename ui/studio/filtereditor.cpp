#include "filtereditor.h"

#include "sqlvalues.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ccpm {

namespace {

using Op = studiofilter::Op;
using Type = ColumnSpec::Type;

/// What to type, for the value field's placeholder.
QString hint(const ColumnSpec &c)
{
    switch (c.type) {
    case Type::Integer:
        return FilterEditor::tr("a whole number");
    case Type::Decimal:
        return FilterEditor::tr("a number such as 10.5");
    case Type::ZonedTimestamp:
        return FilterEditor::tr("2026-11-29 18:30 (local time)");
    case Type::Timestamp:
    case Type::LocalTimestamp:
        return FilterEditor::tr("2026-11-29 18:30:00");
    case Type::Date:
        return FilterEditor::tr("2026-11-29");
    case Type::Time:
        return FilterEditor::tr("18:30");
    case Type::Interval:
        return FilterEditor::tr("1 day 02:00:00");
    case Type::Uuid:
        return FilterEditor::tr("123e4567-e89b-12d3-a456-426614174000");
    case Type::Inet:
        return FilterEditor::tr("192.168.0.1 or 10.0.0.0/8");
    case Type::Bytea:
        return FilterEditor::tr("\\x0a1b");
    case Type::Json:
        return FilterEditor::tr("JSON: {\"a\": 1}, \"text\", 42");
    case Type::Array:
    case Type::TextArray:
        return FilterEditor::tr("an element");
    default:
        return FilterEditor::tr("text");
    }
}

/// Whether the value is picked from a list (an enum's labels, true or false).
bool picked(const ColumnSpec &c, Op op)
{
    if (op == Op::Contains || op == Op::StartsWith || op == Op::InSet || studiofilter::takesNoValue(op))
        return false;
    if (c.type == Type::Boolean)
        return true;
    return !c.values.isEmpty() &&
           (c.type == Type::Enum || (c.type == Type::Array && op == Op::ArrayContains));
}

} // namespace

FilterEditor::FilterEditor(QWidget *parent)
    : QFrame(parent, Qt::Popup)
    , m_column(new QComboBox(this))
    , m_op(new QComboBox(this))
    , m_choice(new QComboBox(this))
    , m_path(new QLineEdit(this))
    , m_value(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_apply(new QPushButton(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAttribute(Qt::WA_WindowPropagation);
    m_column->setAccessibleName(tr("Column"));
    m_op->setAccessibleName(tr("Operator"));
    m_choice->setAccessibleName(tr("Value"));
    m_value->setAccessibleName(tr("Value"));
    m_path->setAccessibleName(tr("JSON path"));
    m_path->setPlaceholderText(tr("path: address.city or items.0.name"));
    m_value->setClearButtonEnabled(true);
    m_value->setMinimumWidth(240);
    m_error->setWordWrap(true);
    m_error->setVisible(false);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xd0, 0x3b, 0x3b));
    m_error->setPalette(errorPalette);
    m_apply->setDefault(true);

    auto *top = new QHBoxLayout;
    top->addWidget(m_column, 1);
    top->addWidget(m_op);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 10, 10, 10);
    layout->setSpacing(6);
    layout->addLayout(top);
    layout->addWidget(m_path);
    layout->addWidget(m_value);
    layout->addWidget(m_choice);
    layout->addWidget(m_error);
    auto *buttons = new QHBoxLayout;
    auto *help = new QLabel(tr("Enter to apply, Esc to close"), this);
    QPalette helpPalette = help->palette();
    helpPalette.setColor(QPalette::WindowText, palette().color(QPalette::PlaceholderText));
    help->setPalette(helpPalette);
    buttons->addWidget(help, 1);
    buttons->addWidget(m_apply);
    layout->addLayout(buttons);

    connect(m_column, &QComboBox::currentIndexChanged, this, [this] {
        fillOps();
        updateValueEditor();
    });
    connect(m_op, &QComboBox::currentIndexChanged, this, &FilterEditor::updateValueEditor);
    connect(m_apply, &QPushButton::clicked, this, &FilterEditor::accept);
    connect(m_value, &QLineEdit::returnPressed, this, &FilterEditor::accept);
    connect(m_path, &QLineEdit::returnPressed, this, &FilterEditor::accept);
    connect(m_value, &QLineEdit::textEdited, this, [this] { showError({}); });
    connect(m_path, &QLineEdit::textEdited, this, [this] { showError({}); });
}

void FilterEditor::setTableSpec(const TableSpec &spec)
{
    m_spec = spec;
    const QSignalBlocker blocker(m_column);
    m_column->clear();
    for (const ColumnSpec &c : m_spec.columns)
        m_column->addItem(c.header.isEmpty() ? c.name : c.header, c.name);
    fillOps();
    updateValueEditor();
}

void FilterEditor::start(const StudioFilter &filter, bool editing)
{
    showError({});
    m_apply->setText(editing ? tr("Apply") : tr("Add filter"));
    const int column = std::max(0, m_column->findData(filter.column));
    {
        const QSignalBlocker blocker(m_column);
        m_column->setCurrentIndex(column);
    }
    fillOps();
    if (const int op = m_op->findData(int(filter.op)); op >= 0) {
        const QSignalBlocker blocker(m_op);
        m_op->setCurrentIndex(op);
    }
    updateValueEditor();
    // A key holding a dot is written as a JSON array, which splitPath() reads back.
    const bool dotted = std::any_of(filter.path.cbegin(), filter.path.cend(),
                                    [](const QString &key) { return key.contains(QLatin1Char('.')); });
    m_path->setText(dotted ? sql::jsonText(QJsonArray::fromStringList(filter.path))
                           : filter.path.join(QLatin1Char('.')));
    if (filter.op == Op::InSet) {
        QStringList shown;
        for (const QString &v : filter.values)
            shown << (v.contains(QLatin1Char(',')) || v.contains(QLatin1Char('"')) || v != v.trimmed()
                          ? QLatin1Char('"') +
                                QString(v).replace(QStringLiteral("\""), QStringLiteral("\"\"")) +
                                QLatin1Char('"')
                          : v);
        m_value->setText(shown.join(QStringLiteral(", ")));
    } else {
        m_value->setText(filter.value);
    }
    if (const int choice = m_choice->findData(filter.value); choice >= 0)
        m_choice->setCurrentIndex(choice);
    if (!m_value->isHidden())
        m_value->selectAll();
}

const ColumnSpec *FilterEditor::currentColumn() const
{
    const int index = m_spec.columnOf(m_column->currentData().toString());
    return index >= 0 ? &m_spec.columns.at(index) : nullptr;
}

studiofilter::Op FilterEditor::currentOp() const
{
    return Op(m_op->currentData().toInt());
}

void FilterEditor::fillOps()
{
    const QSignalBlocker blocker(m_op);
    const QVariant previous = m_op->currentData();
    m_op->clear();
    if (const ColumnSpec *c = currentColumn()) {
        for (Op op : studiofilter::ops(*c))
            m_op->addItem(studiofilter::menuText(op), int(op));
    }
    // Keep the operator when the new column offers it (= from one column to the next).
    if (const int index = m_op->findData(previous); index >= 0)
        m_op->setCurrentIndex(index);
}

void FilterEditor::updateValueEditor()
{
    showError({});
    const ColumnSpec *c = currentColumn();
    const Op op = currentOp();
    const bool none = !c || studiofilter::takesNoValue(op);
    const bool choice = c && picked(*c, op);
    m_path->setVisible(!none && op == Op::JsonPathEquals);
    m_choice->setVisible(!none && choice);
    m_value->setVisible(!none && !choice);
    if (!c)
        return;
    if (choice) {
        const QString current = m_choice->currentData().toString();
        m_choice->clear();
        if (c->type == Type::Boolean) {
            m_choice->addItem(tr("true"), QStringLiteral("true"));
            m_choice->addItem(tr("false"), QStringLiteral("false"));
        } else {
            for (const QString &v : c->values)
                m_choice->addItem(c->label ? c->label(v) : v, v);
        }
        if (const int index = m_choice->findData(current); index >= 0)
            m_choice->setCurrentIndex(index);
    }
    if (op == Op::InSet)
        m_value->setPlaceholderText(c->values.isEmpty()
                                        ? tr("values separated by commas (\"a, b\" keeps its comma)")
                                        : tr("some of: %1").arg(c->values.join(QStringLiteral(", "))));
    else if (op == Op::Contains || op == Op::StartsWith)
        m_value->setPlaceholderText(tr("text"));
    else if (op == Op::JsonHasKey)
        m_value->setPlaceholderText(tr("key"));
    else if (op == Op::JsonPathEquals)
        m_value->setPlaceholderText(tr("value at the path, as text (x, 42, true)"));
    else
        m_value->setPlaceholderText(hint(*c));
    adjustSize();
}

StudioFilter FilterEditor::filter() const
{
    StudioFilter f;
    f.column = m_column->currentData().toString();
    f.op = currentOp();
    if (studiofilter::takesNoValue(f.op))
        return f;
    if (f.op == Op::InSet) {
        f.values = studiofilter::splitList(m_value->text());
        return f;
    }
    const ColumnSpec *c = currentColumn();
    f.value = c && picked(*c, f.op) ? m_choice->currentData().toString() : m_value->text();
    if (f.op == Op::JsonPathEquals)
        f.path = studiofilter::splitPath(m_path->text());
    return f;
}

void FilterEditor::accept()
{
    if (!isVisible())
        return;
    const StudioFilter f = filter();
    const Result<KeysetQuery::Filter> built = studiofilter::buildFilter(m_spec, f);
    if (!built) {
        showError(built.error().message);
        QLineEdit *field = f.op == Op::JsonPathEquals && f.path.isEmpty() ? m_path : m_value;
        if (field->isVisible()) {
            field->setFocus();
            field->selectAll();
        }
        return;
    }
    hide();
    emit accepted(f);
}

QString FilterEditor::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void FilterEditor::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    adjustSize();
}

void FilterEditor::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Escape:
        hide();
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        accept();
        return;
    default:
        QFrame::keyPressEvent(event);
    }
}

} // namespace ccpm
