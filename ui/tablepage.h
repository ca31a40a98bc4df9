#pragma once

#include "tablespec.h"

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace ccpm {

class PagedTableModel;

/// One table of the main window: a quick-search field (Ctrl+F), the row count ("about 1.0 M
/// rows" until counted), an "unsaved changes" marker, and the table view with server-side sort
/// on header clicks, the staged-edit styling (CellStyleDelegate), and a context menu that
/// filters on a cell's value (equal, empty, not empty), in SQL, combined with AND.
/// Thread: GUI. The model is not owned.
class TablePage : public QWidget {
    Q_OBJECT
public:
    explicit TablePage(PagedTableModel *model, QWidget *parent = nullptr);

    PagedTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    void focusSearch();
    /// Filters set from outside (the Tasks page's filter bar), always ANDed with the page's own.
    void setBaseFilters(const QList<ColumnFilter> &filters);
    /// Hides the page's own search field (when a shared filter bar searches instead).
    void setSearchVisible(bool visible);
    /// Actions shown first in the table's context menu, for the row under the mouse (current row).
    void addContextActions(const QList<QAction *> &actions) { m_contextActions << actions; }

signals:
    /// focusSearch() was asked for while the page's own search field is hidden.
    void searchRequested();

private:
    void updateStatus();
    void showContextMenu(const QPoint &position);
    void addFilter(const ColumnFilter &filter);

    PagedTableModel *m_model;
    QLineEdit *m_search;
    QLabel *m_count;
    QTableView *m_view;
    QTimer *m_searchDelay;
    QList<ColumnFilter> m_filters;
    QList<ColumnFilter> m_baseFilters;
    QList<QAction *> m_contextActions;
    bool m_columnsSized = false; ///< once, to the first rows; later the user's widths stay
};

} // namespace ccpm
