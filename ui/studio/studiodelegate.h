#pragma once

#include "cellstyledelegate.h"
#include "tablespec.h"

#include <QList>

class QAbstractItemView;
class QAction;

namespace ccpm {

/// The delegate of Studio's grids. Paints what CellStyleDelegate paints (staged, new, deleted,
/// refused cells), plus: SQL NULL as a grey italic "NULL" (an empty string stays empty), a staged
/// DEFAULT (sql::columnDefault()) as a blue italic "DEFAULT", right-aligned numbers, and a grey
/// "no zone" tag after a timestamp without time zone (shown exactly as stored).
///
/// Editors follow the column's ColumnSpec::Type: a combo box for enums and booleans (with NULL
/// when the column is nullable), a popup JSON editor (JsonEditor), a list editor for arrays
/// (ArrayEditor), a hex viewer and editor for bytea (ByteaEditor), and for everything else a
/// line edit with the expected format as placeholder (local time for timestamptz, "no time
/// zone" for timestamp) that turns red with the reason while the text is invalid. An editor
/// closed without a change writes nothing. Values go to the model as the editor has them
/// (QStringList for arrays, text otherwise): the model's ColumnSpec::fromEdit() makes them
/// stored text.
///
/// Columns come from setSpec(), or, without one, from the PagedTableModel of the index.
/// Thread: GUI.
class StudioDelegate : public CellStyleDelegate {
    Q_OBJECT
public:
    explicit StudioDelegate(QObject *parent = nullptr);

    /// The table whose model columns the view shows (model column i = spec.columns[i]).
    void setSpec(const TableSpec &spec);
    /// The column of `index`, or nullptr.
    const ColumnSpec *columnOf(const QModelIndex &index) const;

    /// "Set to NULL" (Ctrl+Shift+N) and "Set to DEFAULT" (Ctrl+Shift+D), added to `view` (their
    /// shortcuts work while the view has focus) and returned for its context menu. They act on
    /// every selected editable cell whose column is nullable (has a default), through
    /// `model->setData(index, QVariant())` and `setData(index, sql::columnDefault())`, as one
    /// undo step on a PagedTableModel; each is enabled only when some selected cell allows it.
    QList<QAction *> createCellActions(QAbstractItemView *view);

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
    void updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const override;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

    /// The placeholder a line editor shows for `column` (its format).
    static QString formatHint(const ColumnSpec &column);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    enum class Mark { None, Null, Default };
    Mark markOf(const QModelIndex &index) const;

    TableSpec m_spec;
    bool m_hasSpec = false;
};

} // namespace ccpm
