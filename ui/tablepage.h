#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace ccpm {

class PagedTableModel;

/// One table of the main window: a quick-search field (Ctrl+F), the row count ("about 1.0 M
/// rows" until counted), an "unsaved changes" marker, and the table view with server-side sort
/// on header clicks and the staged-edit styling (CellStyleDelegate).
/// Thread: GUI. The model is not owned.
class TablePage : public QWidget {
    Q_OBJECT
public:
    explicit TablePage(PagedTableModel *model, QWidget *parent = nullptr);

    PagedTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    void focusSearch();

private:
    void updateStatus();

    PagedTableModel *m_model;
    QLineEdit *m_search;
    QLabel *m_count;
    QTableView *m_view;
    QTimer *m_searchDelay;
};

} // namespace ccpm
