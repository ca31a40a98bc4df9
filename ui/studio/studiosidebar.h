#pragma once

#include "canceltoken.h"
#include "catalog.h"

#include <QHash>
#include <QWidget>

class QAction;
class QLineEdit;
class QModelIndex;
class QTreeView;

namespace ccpm {

class CatalogTreeModel;
class DbExecutor;
class QuickSwitcher;

/// Studio's sidebar: a search box over a tree of schemas and their tables (CatalogTreeModel),
/// each with its estimated row count, marked `~`, until the user asks for the exact one
/// ("Count rows exactly" in the context menu: `SELECT count(*)` on a DbExecutor worker,
/// cancellable from the same menu). Typing filters the tables (`schema.name` contains the text,
/// any case); Enter in the box opens the first one listed, Down moves into the tree. A click or
/// Enter on a table, or Ctrl+P "Jump to table" (jumpAction(), a QuickSwitcher over every
/// table), emits tableActivated() — once: activating the table already current does nothing.
/// Errors: a failed count is shown in its row's tooltip. Thread: GUI.
class StudioSidebar : public QWidget {
    Q_OBJECT
public:
    explicit StudioSidebar(DbExecutor &executor, QWidget *parent = nullptr);
    ~StudioSidebar() override;

    void setCatalog(const SchemaCatalog &catalog);

    /// Marks the table shown now (selected in the tree) without emitting tableActivated().
    void setCurrentTable(const QString &schema, const QString &name);
    QString currentSchema() const { return m_currentSchema; }
    QString currentTable() const { return m_currentTable; }

    /// Counts the table's rows exactly on a worker; the result replaces the estimate.
    void countExactly(const QString &schema, const QString &name);
    /// Stops that count (the server cancels the statement); the estimate stays.
    void cancelCount(const QString &schema, const QString &name);
    bool isCounting(const QString &schema, const QString &name) const;

    /// Opens the Ctrl+P popup listing every table; returns it (it deletes itself on close).
    QuickSwitcher *showJump();

    CatalogTreeModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    QLineEdit *searchBox() const { return m_search; }
    QAction *jumpAction() const { return m_jump; }

signals:
    void tableActivated(const QString &schema, const QString &name);
    /// An exact count arrived (also shown in the tree).
    void rowsCounted(const QString &schema, const QString &name, qint64 rows);
    void countFailed(const QString &schema, const QString &name, const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void activate(const QModelIndex &index);
    void open(const QString &schema, const QString &name);
    void openFirstMatch();
    void showMenu(const QPoint &pos);

    DbExecutor &m_executor;
    CatalogTreeModel *m_model;
    QLineEdit *m_search;
    QTreeView *m_view;
    QAction *m_jump;
    QString m_currentSchema;
    QString m_currentTable;
    QHash<QString, CancelToken> m_counts; ///< running counts by `schema.name`
};

} // namespace ccpm
