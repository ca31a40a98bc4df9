#include "arrayeditor.h"

#include <QHBoxLayout>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace ccpm {

namespace {

constexpr int kNullRole = Qt::UserRole + 1;

} // namespace

ArrayEditor::ArrayEditor(const ColumnSpec &column, QWidget *parent)
    : PopupEditor(parent)
    , m_column(column)
    , m_element(column.elementSpec())
{
    if (column.type == ColumnSpec::Type::TextArray)
        m_element.type = ColumnSpec::Type::Text;
    auto *row = new QHBoxLayout;
    m_list = new QListWidget(this);
    m_list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::AnyKeyPressed);
    m_list->setDragDropMode(QAbstractItemView::InternalMove);
    row->addWidget(m_list, 1);
    auto *buttons = new QVBoxLayout;
    auto button = [this, buttons](const QString &text, const QString &tip, auto slot) {
        auto *b = new QPushButton(text, this);
        b->setToolTip(tip);
        b->setAutoDefault(false);
        buttons->addWidget(b);
        connect(b, &QPushButton::clicked, this, slot);
    };
    button(tr("Add"), tr("Add an element at the end"), [this] { addElement(); });
    button(tr("Add NULL"), tr("Add a NULL element at the end"), [this] { addNull(); });
    button(tr("Set NULL"), tr("Make the selected element NULL"), [this] { setCurrentNull(); });
    button(tr("Remove"), tr("Remove the selected element"), [this] { removeCurrent(); });
    button(tr("Up"), tr("Move the selected element up"), [this] { moveCurrent(-1); });
    button(tr("Down"), tr("Move the selected element down"), [this] { moveCurrent(1); });
    buttons->addStretch(1);
    row->addLayout(buttons);
    body()->addLayout(row);
    watchKeys(m_list);
    setFocusProxy(m_list);
    connect(m_list, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        if (m_filling)
            return;
        // Typing into a NULL element makes it a value.
        if (item->data(kNullRole).toBool() && item->text() != QLatin1String("NULL"))
            styleItem(item, false);
        changed();
    });
    connect(m_list->model(), &QAbstractItemModel::rowsMoved, this, &ArrayEditor::changed);
    check();
}

void ArrayEditor::styleItem(QListWidgetItem *item, bool null)
{
    const bool was = m_filling;
    m_filling = true;
    item->setData(kNullRole, null);
    QFont font = m_list->font();
    font.setItalic(null);
    item->setFont(font);
    item->setForeground(null ? QColor(140, 140, 140) : m_list->palette().color(QPalette::Text));
    if (null)
        item->setText(QStringLiteral("NULL"));
    item->setFlags(item->flags() | Qt::ItemIsEditable | Qt::ItemIsDragEnabled);
    m_filling = was;
}

void ArrayEditor::setElements(const std::optional<QStringList> &elements)
{
    m_filling = true;
    m_list->clear();
    for (const QString &e : elements.value_or(QStringList())) {
        auto *item = new QListWidgetItem(e, m_list);
        styleItem(item, e.isNull());
    }
    m_filling = false;
    setModified(false);
    check();
}

QStringList ArrayEditor::elements() const
{
    QStringList out;
    for (int i = 0; i < m_list->count(); ++i) {
        const QListWidgetItem *item = m_list->item(i);
        out << (item->data(kNullRole).toBool() ? QString()
                : item->text().isNull()        ? QStringLiteral("")
                                               : item->text());
    }
    return out;
}

void ArrayEditor::addElement(const QString &text)
{
    auto *item = new QListWidgetItem(text, m_list);
    styleItem(item, false);
    m_list->setCurrentItem(item);
    changed();
    if (isVisible())
        m_list->editItem(item);
}

void ArrayEditor::addNull()
{
    auto *item = new QListWidgetItem(m_list);
    styleItem(item, true);
    m_list->setCurrentItem(item);
    changed();
}

void ArrayEditor::removeCurrent()
{
    delete m_list->takeItem(m_list->currentRow());
    changed();
}

void ArrayEditor::moveCurrent(int delta)
{
    const int from = m_list->currentRow();
    const int to = from + delta;
    if (from < 0 || to < 0 || to >= m_list->count())
        return;
    QListWidgetItem *item = m_list->takeItem(from);
    m_list->insertItem(to, item);
    m_list->setCurrentRow(to);
    changed();
}

void ArrayEditor::setCurrentNull()
{
    if (QListWidgetItem *item = m_list->currentItem()) {
        styleItem(item, true);
        changed();
    }
}

void ArrayEditor::changed()
{
    setModified(true);
    check();
}

void ArrayEditor::check()
{
    const QStringList values = elements();
    for (int i = 0; i < values.size(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        ColumnSpec element = m_element;
        element.header = tr("Element %1 (“%2”)").arg(i + 1).arg(values.at(i).left(40));
        const QString problem =
            values.at(i).isNull() ? QString() : element.problem(element.fromEdit(values.at(i)));
        const bool was = m_filling;
        m_filling = true;
        item->setBackground(problem.isEmpty() ? QBrush() : QBrush(QColor(255, 215, 215)));
        item->setToolTip(problem);
        m_filling = was;
        if (!problem.isEmpty()) {
            setStatus(false, problem);
            return;
        }
    }
    const QString type = m_column.elementType.isEmpty() ? QStringLiteral("text") : m_column.elementType;
    setStatus(true, values.size() == 1 ? tr("1 element of %1.").arg(type)
                                       : tr("%1 elements of %2.").arg(values.size()).arg(type));
}

} // namespace ccpm
