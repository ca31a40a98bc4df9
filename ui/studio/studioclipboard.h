#pragma once

#include <QList>
#include <QObject>
#include <QStringList>

class QAbstractItemView;
class QAction;
class QMimeData;

namespace ccpm {

/// Copy and paste for a Studio grid (a QAbstractItemView over a PagedTableModel), in the formats
/// of models/clipboardformat.h:
/// - Copy (Ctrl+C): one cell as its plain text, several as TSV in the view's column order
///   (hidden columns left out); values are the model's EditRole as text (what the editors
///   start from and setData() reads back exactly: numbers exact, times in full precision).
/// - Copy row as JSON (Ctrl+Shift+C): the current row, or the selected rows as a JSON array,
///   one object per line, keys the column names, typed as the JSON export.
/// - Paste (Ctrl+V): a TSV block becomes staged edits (model->setData, EditRole) from the
///   current cell rightwards and downwards; one value pasted over a selection of several cells
///   goes into each. Cells that are not editable, not loaded or outside the table are skipped
///   and counted. The paste is one step on the model's undo stack. Values that fail validation
///   are staged all the same, and the model marks them (roles::Problem).
/// Every operation returns a one-line summary for the status bar and emits message() with it.
/// Thread: GUI.
class StudioClipboard : public QObject {
    Q_OBJECT
public:
    /// The MIME type holding the TSV too, so a single copied cell holding a tab or a line break
    /// pastes back as one cell.
    static const QString kTsvMimeType;

    /// Adds the three actions to `view` (shortcuts active while it has focus); child of `view`.
    explicit StudioClipboard(QAbstractItemView *view);

    QAction *copyAction() const { return m_copy; }
    QAction *copyRowAction() const { return m_copyRow; }
    QAction *pasteAction() const { return m_paste; }

    QString copy();
    QString copyRowAsJson();
    QString paste();

    /// What copy() puts on the clipboard (null when nothing can be copied; `message` says why).
    QMimeData *selectionMimeData(QString *message) const;
    /// paste() of a parsed block instead of the clipboard.
    QString pasteRows(const QList<QStringList> &rows);

signals:
    void message(const QString &text);

private:
    QList<int> visibleColumns() const; ///< logical columns in the view's order
    QString report(const QString &text);

    QAbstractItemView *m_view;
    QAction *m_copy;
    QAction *m_copyRow;
    QAction *m_paste;
};

} // namespace ccpm
