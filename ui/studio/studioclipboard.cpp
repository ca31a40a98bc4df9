#include "studioclipboard.h"

#include "clipboardformat.h"
#include "itemroles.h"
#include "pagedtablemodel.h"

#include <QAbstractItemView>
#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMimeData>
#include <QSet>
#include <QTableView>

#include <algorithm>
#include <map>

namespace ccpm {

const QString StudioClipboard::kTsvMimeType = QStringLiteral("application/x-ccpm-tsv");

namespace {

// More than this is a job for the export, not the clipboard.
constexpr qsizetype kMaxCopiedCells = 1'000'000;

} // namespace

StudioClipboard::StudioClipboard(QAbstractItemView *view)
    : QObject(view)
    , m_view(view)
    , m_copy(new QAction(tr("Copy"), view))
    , m_copyRow(new QAction(tr("Copy Row as JSON"), view))
    , m_paste(new QAction(tr("Paste"), view))
{
    m_copy->setShortcut(QKeySequence::Copy);
    m_copyRow->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_paste->setShortcut(QKeySequence::Paste);
    for (QAction *action : {m_copy, m_copyRow, m_paste}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        view->addAction(action);
    }
    connect(m_copy, &QAction::triggered, this, &StudioClipboard::copy);
    connect(m_copyRow, &QAction::triggered, this, &StudioClipboard::copyRowAsJson);
    connect(m_paste, &QAction::triggered, this, &StudioClipboard::paste);
}

QString StudioClipboard::report(const QString &text)
{
    emit message(text);
    return text;
}

QList<int> StudioClipboard::visibleColumns() const
{
    QList<int> columns;
    const QAbstractItemModel *model = m_view->model();
    if (!model)
        return columns;
    const auto *table = qobject_cast<const QTableView *>(m_view);
    const QHeaderView *header = table ? table->horizontalHeader() : nullptr;
    for (int visual = 0; visual < model->columnCount(); ++visual) {
        const int logical = header ? header->logicalIndex(visual) : visual;
        if (logical >= 0 && !(header && header->isSectionHidden(logical)))
            columns << logical;
    }
    return columns;
}

QMimeData *StudioClipboard::selectionMimeData(QString *message) const
{
    const QAbstractItemModel *model = m_view->model();
    const auto *paged = qobject_cast<const PagedTableModel *>(model);
    QModelIndexList selected =
        m_view->selectionModel() ? m_view->selectionModel()->selectedIndexes() : QModelIndexList();
    if (selected.isEmpty() && m_view->currentIndex().isValid())
        selected << m_view->currentIndex();
    if (!model || selected.isEmpty()) {
        *message = tr("Select the cells to copy.");
        return nullptr;
    }
    // The rows and columns that hold a selected cell, in the view's order.
    QSet<int> rowSet;
    QSet<qint64> cells;
    QSet<int> columnSet;
    for (const QModelIndex &index : selected) {
        rowSet.insert(index.row());
        columnSet.insert(index.column());
        cells.insert(qint64(index.row()) << 32 | index.column());
    }
    QList<int> rows(rowSet.cbegin(), rowSet.cend());
    std::sort(rows.begin(), rows.end());
    QList<int> columns;
    for (const int column : visibleColumns()) {
        if (columnSet.contains(column))
            columns << column;
    }
    if (columns.isEmpty()) {
        *message = tr("Select the cells to copy.");
        return nullptr;
    }
    if (qsizetype(rows.size()) * columns.size() > kMaxCopiedCells) {
        *message = tr("That is too much for the clipboard: select fewer rows, or export the view.");
        return nullptr;
    }
    if (paged) {
        int loading = 0;
        for (const int row : rows) {
            if (!paged->isLoaded(row)) {
                model->data(model->index(row, columns.first()), Qt::DisplayRole); // asks for its page
                ++loading;
            }
        }
        if (loading > 0) {
            *message = loading == 1
                           ? tr("A selected row is still loading: copy again in a moment.")
                           : tr("%1 selected rows are still loading: copy again in a moment.").arg(loading);
            return nullptr;
        }
    }
    QList<QStringList> block;
    for (const int row : rows) {
        QStringList values;
        for (const int column : columns) {
            values << (cells.contains(qint64(row) << 32 | column)
                           ? clipboard::cellText(model->index(row, column).data(Qt::EditRole))
                           : QString());
        }
        block << values;
    }
    auto *mime = new QMimeData;
    const QString tsv = clipboard::toTsv(block);
    mime->setData(kTsvMimeType, tsv.toUtf8());
    // One cell: its text as it is (NULL as nothing), for pasting anywhere else.
    mime->setText(block.size() == 1 && block.first().size() == 1 ? block.first().first() : tsv);
    *message = block.size() == 1 && block.first().size() == 1
                   ? tr("Copied the cell.")
                   : tr("Copied %1 cells as TSV.").arg(rows.size() * columns.size());
    return mime;
}

QString StudioClipboard::copy()
{
    QString text;
    if (QMimeData *mime = selectionMimeData(&text))
        QGuiApplication::clipboard()->setMimeData(mime);
    return report(text);
}

QString StudioClipboard::copyRowAsJson()
{
    const QAbstractItemModel *model = m_view->model();
    const auto *paged = qobject_cast<const PagedTableModel *>(model);
    QSet<int> rowSet;
    if (m_view->selectionModel()) {
        for (const QModelIndex &index : m_view->selectionModel()->selectedIndexes())
            rowSet.insert(index.row());
    }
    if (rowSet.isEmpty() && m_view->currentIndex().isValid())
        rowSet.insert(m_view->currentIndex().row());
    if (!model || rowSet.isEmpty())
        return report(tr("Select the row to copy."));
    if (rowSet.size() > 100'000)
        return report(tr("That is too much for the clipboard: select fewer rows, or export the view."));
    QList<int> rows(rowSet.cbegin(), rowSet.cend());
    std::sort(rows.begin(), rows.end());
    const QList<int> columns = visibleColumns();
    QStringList names;
    QList<exportformat::ValueKind> kinds;
    for (const int column : columns) {
        if (paged) {
            names << paged->spec().columns.at(column).name;
            kinds << clipboard::valueKind(paged->spec().columns.at(column));
        } else {
            names << model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
            kinds << exportformat::ValueKind::String;
        }
    }
    QList<QByteArray> objects;
    for (const int row : rows) {
        if (paged && !paged->isLoaded(row)) {
            model->data(model->index(row, 0), Qt::DisplayRole);
            return report(tr("The selected rows are still loading: copy again in a moment."));
        }
        QStringList values;
        for (const int column : columns) {
            // A text[]'s editor text may be "a, b": its raw list is the JSON array
            const bool list = paged && paged->spec().columns.at(column).type == ColumnSpec::Type::TextArray;
            values << clipboard::cellText(
                model->index(row, column).data(list ? roles::RawValue : Qt::EditRole));
        }
        objects << clipboard::rowJson(names, values, kinds);
    }
    const QByteArray json = objects.size() == 1 ? objects.first() : "[\n" + objects.join(",\n") + "\n]";
    auto *mime = new QMimeData;
    mime->setText(QString::fromUtf8(json));
    mime->setData(QStringLiteral("application/json"), json);
    QGuiApplication::clipboard()->setMimeData(mime);
    return report(objects.size() == 1 ? tr("Copied 1 row as JSON.")
                                      : tr("Copied %1 rows as JSON.").arg(objects.size()));
}

QString StudioClipboard::paste()
{
    const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
    if (!mime)
        return report(tr("The clipboard is empty."));
    const QString text =
        mime->hasFormat(kTsvMimeType) ? QString::fromUtf8(mime->data(kTsvMimeType)) : mime->text();
    const QList<QStringList> rows = clipboard::fromTsv(text);
    if (rows.isEmpty())
        return report(tr("The clipboard holds no text to paste."));
    return pasteRows(rows);
}

QString StudioClipboard::pasteRows(const QList<QStringList> &rows)
{
    QAbstractItemModel *model = m_view->model();
    auto *paged = qobject_cast<PagedTableModel *>(model);
    QModelIndex start = m_view->currentIndex();
    const QModelIndexList selected =
        m_view->selectionModel() ? m_view->selectionModel()->selectedIndexes() : QModelIndexList();
    if (!start.isValid() && !selected.isEmpty())
        start = selected.first();
    if (!model || !start.isValid())
        return report(tr("Choose the cell to paste into."));

    // Where each value goes: from the current cell in the view's column order, or one value
    // into every selected cell.
    std::map<std::pair<int, int>, QString> targets; // (row, logical column) → value
    int outside = 0;
    if (rows.size() == 1 && rows.first().size() == 1 && selected.size() > 1) {
        for (const QModelIndex &index : selected)
            targets[{index.row(), index.column()}] = rows.first().first();
    } else {
        const QList<int> columns = visibleColumns();
        const qsizetype first = columns.indexOf(start.column());
        for (qsizetype r = 0; r < rows.size(); ++r) {
            for (qsizetype c = 0; c < rows.at(r).size(); ++c) {
                const int row = start.row() + int(r);
                if (first < 0 || first + c >= columns.size() || row >= model->rowCount()) {
                    ++outside;
                    continue;
                }
                targets[{row, columns.at(first + c)}] = rows.at(r).at(c);
            }
        }
    }

    QList<std::pair<QModelIndex, QString>> editable;
    int skipped = 0;
    for (const auto &[cell, value] : targets) {
        const QModelIndex index = model->index(cell.first, cell.second);
        if ((model->flags(index) & Qt::ItemIsEditable) && (!paged || paged->isLoaded(cell.first)))
            editable.append({index, value});
        else
            ++skipped;
    }
    int staged = 0;
    if (paged && !editable.isEmpty())
        paged->undoStack()->beginMacro(editable.size() == 1 ? tr("Paste 1 cell")
                                                            : tr("Paste %1 cells").arg(editable.size()));
    for (const auto &[index, value] : editable) {
        if (model->setData(index, value.isNull() ? QVariant() : QVariant(value), Qt::EditRole))
            ++staged;
        else
            ++skipped;
    }
    if (paged && !editable.isEmpty())
        paged->undoStack()->endMacro();

    QString text = staged == 1 ? tr("Pasted 1 cell as staged edits.")
                               : tr("Pasted %1 cells as staged edits.").arg(staged);
    if (skipped > 0)
        text += QLatin1Char(' ') + (skipped == 1 ? tr("1 cell skipped: not editable.")
                                                 : tr("%1 cells skipped: not editable.").arg(skipped));
    if (outside > 0)
        text += QLatin1Char(' ') + (outside == 1 ? tr("1 value fell outside the table.")
                                                 : tr("%1 values fell outside the table.").arg(outside));
    return report(text);
}

} // namespace ccpm
