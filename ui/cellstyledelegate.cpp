#include "cellstyledelegate.h"

#include "itemroles.h"
#include "pagedtablemodel.h"

#include <QComboBox>

namespace ccpm {

namespace {

const ColumnSpec *enumColumn(const QModelIndex &index)
{
    const auto *model = qobject_cast<const PagedTableModel *>(index.model());
    if (!model || index.column() >= model->spec().columns.size())
        return nullptr;
    const ColumnSpec &column = model->spec().columns.at(index.column());
    return column.type == ColumnSpec::Type::Enum ? &column : nullptr;
}

} // namespace

void CellStyleDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    using roles::CellState;
    const auto state = CellState(index.data(roles::EditState).toInt());
    const bool problem = !index.data(roles::Problem).toString().isEmpty();
    switch (state) {
    case CellState::Clean:
        break;
    case CellState::Edited:
        option->backgroundBrush = QColor(255, 241, 184);
        break;
    case CellState::Inserted:
        option->backgroundBrush = QColor(214, 245, 214);
        break;
    case CellState::Deleted:
        option->font.setStrikeOut(true);
        option->palette.setColor(QPalette::Text, QColor(140, 140, 140));
        break;
    case CellState::Conflict:
        option->backgroundBrush = QColor(255, 205, 205);
        break;
    }
    if (problem) {
        option->backgroundBrush = QColor(255, 205, 205);
        option->palette.setColor(QPalette::Text, QColor(160, 0, 0));
    }
    if (state != CellState::Clean)
        option->font.setItalic(state == CellState::Edited || state == CellState::Conflict);
    if (option->text.isEmpty() && !index.data(roles::RawValue).isValid() &&
        index.data(roles::RowId).isValid() && state != CellState::Inserted) {
        option->text = QStringLiteral("NULL");
        option->palette.setColor(QPalette::Text, QColor(160, 160, 160));
    }
}

QWidget *CellStyleDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                         const QModelIndex &index) const
{
    const ColumnSpec *column = enumColumn(index);
    if (!column)
        return QStyledItemDelegate::createEditor(parent, option, index);
    auto *combo = new QComboBox(parent);
    if (column->nullable)
        combo->addItem(QStringLiteral("NULL"));
    for (const QString &value : column->values)
        combo->addItem(column->label ? column->label(value) : value, value);
    return combo;
}

void CellStyleDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    if (auto *combo = qobject_cast<QComboBox *>(editor); combo && enumColumn(index)) {
        const int found = combo->findData(index.data(Qt::EditRole));
        combo->setCurrentIndex(found >= 0 ? found : 0);
        return;
    }
    QStyledItemDelegate::setEditorData(editor, index);
}

void CellStyleDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                     const QModelIndex &index) const
{
    if (auto *combo = qobject_cast<QComboBox *>(editor); combo && enumColumn(index)) {
        model->setData(index, combo->currentData(), Qt::EditRole); // NULL has no data: SQL NULL
        return;
    }
    QStyledItemDelegate::setModelData(editor, model, index);
}

} // namespace ccpm
