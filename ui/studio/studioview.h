#pragma once

#include "access.h"
#include "catalog.h"
#include "keysetquery.h"
#include "relationqueries.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QLabel;
class QTabWidget;
class QTableView;
class QToolBar;

namespace ccpm {

class BreadcrumbBar;
class DbExecutor;
class FilterPillBar;
class StudioClipboard;
class PagedTableModel;
class RelationsPanel;
class SqlConsoleView;
class SchemaDiagramView;
class StudioSidebar;

/// Studio: browses and edits every table of any PostgreSQL database, the way Prisma Studio does.
/// The sidebar lists schemas and tables (estimates marked; Ctrl+P jumps), the breadcrumb shows
/// the trail of relations followed (Alt+Left goes back), the relations panel the current row's
/// references and the rows pointing at it, with counts. One table at a time in a lazy, keyset-paged grid
/// (PagedTableModel over a spec made from the catalog, studioSpec()), sorted in SQL by one column or several
/// (Shift+click adds a key), with columns that can be hidden, moved and resized (header context menu).
///
/// The filter pills (typed operators, AND or OR, a quick search over the text columns) narrow
/// the rows in SQL; a relation's filter stays underneath them. Ctrl+C copies cells as TSV,
/// Ctrl+Shift+C rows as JSON, Ctrl+V pastes a TSV block as staged edits; Ctrl+E exports the
/// current view, streamed, to CSV or JSON.
///
/// Editing is staged: edits, new rows (Insert) and deletions (Delete) wait, with undo and redo,
/// until Save (Ctrl+S) shows every statement with its parameters and runs them in one
/// transaction; Discard drops them. Ctrl+Shift+N sets a cell to NULL, Ctrl+Shift+D to its
/// DEFAULT. A table without a primary key (or a view) opens read-only, and a banner says why.
/// With an actor whose role is USER everything is read-only (setActor); without one (standalone
/// `ccpm-desk studio`) it writes as the connection's database user, and only when asked.
///
/// The "SQL console" page beside the table (Ctrl+Shift+E) runs statements, read-only unless an
/// ADMIN switches it to write mode (SqlConsoleView).
///
/// Errors (loading the catalog or a page, saving) show in the banner and the status line;
/// nothing staged is dropped by an error. Thread: GUI; the SQL runs on `executor`'s workers.
class StudioView : public QWidget {
    Q_OBJECT
public:
    explicit StudioView(DbExecutor &executor, QWidget *parent = nullptr);
    ~StudioView() override;

    /// Inside the app: who edits. A USER gets Studio read-only; the database checks again.
    void setActor(const Actor &actor, Role role);

    /// Reads the catalog again (F5 in the sidebar); catalogLoaded() when it is there.
    void reloadCatalog();
    const SchemaCatalog &catalog() const { return m_catalog; }

    /// Opens a table as a new trail (the sidebar, Ctrl+P): the history starts again there.
    /// False (and nothing changes) when the catalog has no such table or the user keeps staged
    /// edits of the table shown.
    bool open(const QString &schema, const QString &name);
    /// Opens a table, optionally filtered (a relation followed); false if the catalog has no
    /// such table, or the table shown has staged edits the user keeps (confirmLeave() asks).
    bool openTable(const QString &schema, const QString &name,
                   const QList<KeysetQuery::Filter> &filters = {});
    /// True when nothing is staged, or the user chose to discard it.
    bool confirmLeave();

    PagedTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    const CatalogTable *currentTable() const;
    /// The sort keys in order: (column, ascending).
    QList<QPair<int, bool>> sortKeys() const { return m_sort; }
    void setSortKeys(const QList<QPair<int, bool>> &keys);
    void setFilters(const QList<KeysetQuery::Filter> &filters, bool matchAny, const QString &quickSearch);

    /// Runs the staged changes after the preview (Ctrl+S); `confirm` false skips the dialog (tests).
    void save(bool confirm = true);

    /// Opens the row a foreign-key cell points at (Ctrl+Return); false (and a status message)
    /// when the cell is not part of a foreign key or holds NULL.
    bool followForeignKey(const QModelIndex &cell);
    /// Opens a relation's rows (a referenced row, the rows pointing at one) as the next crumb.
    bool navigate(const RelationTarget &target, const QString &label = {});
    /// Back to the previous crumb (Alt+Left); false at the first.
    bool back();
    BreadcrumbBar *breadcrumb() const { return m_breadcrumb; }
    StudioSidebar *sidebar() const { return m_sidebar; }
    RelationsPanel *relations() const { return m_relations; }
    FilterPillBar *filterBar() const { return m_filterBar; }
    StudioClipboard *clipboard() const { return m_clipboard; }
    /// Exports the current view (filters and sort) to CSV or JSON (Ctrl+E), with progress.
    void exportView();
    /// The SQL console page (Ctrl+Shift+E): statements on a connection of its own.
    SqlConsoleView *console() const { return m_console; }
    void showConsole();
    bool consoleShown() const;
    /// The current row's values by column name (the server's text), as relations take them.
    QVariantMap rowValues(int row) const;
    /// Opens (or raises) the diagram of the schema selected in the sidebar (Ctrl+Shift+G), in its
    /// own window; clicking a table there opens it here.
    SchemaDiagramView *showDiagram();

signals:
    void catalogLoaded();
    void catalogFailed(const QString &message);
    void tableOpened(const QString &schema, const QString &name);
    void statusMessage(const QString &message);

private:
    void buildActions();
    void applyQuery();
    KeysetQuery currentQuery() const; ///< sort, pills, quick search, and the relation's filter
    void headerClicked(int section);
    void showHeaderMenu(const QPoint &position);
    void showCellMenu(const QPoint &position);
    void setSelectedCells(const QVariant &value);
    void updateState();
    void showBanner(const QString &text, bool error);
    void showTableNotice(); ///< the table's read-only reason, or no banner

    DbExecutor &m_executor;
    SchemaCatalog m_catalog;
    std::optional<Actor> m_actor;
    Role m_role = Role::Admin;
    QString m_schema;
    QString m_table;
    PagedTableModel *m_model = nullptr; ///< a child; replaced (deleteLater) when another table opens
    QList<QPair<int, bool>> m_sort;
    QList<KeysetQuery::Filter> m_filters;
    bool m_matchAny = false;
    QString m_quickSearch;

    QToolBar *m_toolbar;
    QLabel *m_title;
    QLabel *m_banner;
    QTableView *m_view;
    QLabel *m_status;
    QAction *m_save = nullptr;
    QAction *m_discard = nullptr;
    QAction *m_undo = nullptr;
    QAction *m_redo = nullptr;
    QAction *m_addRow = nullptr;
    QAction *m_deleteRows = nullptr;
    QAction *m_setNull = nullptr;
    QAction *m_setDefault = nullptr;
    QAction *m_refresh = nullptr;
    QAction *m_follow = nullptr;
    StudioSidebar *m_sidebar;
    BreadcrumbBar *m_breadcrumb;
    RelationsPanel *m_relations;
    FilterPillBar *m_filterBar;
    StudioClipboard *m_clipboard;
    QAction *m_export = nullptr;
    QAction *m_showConsole = nullptr;
    QTabWidget *m_pages;
    SqlConsoleView *m_console;
    /// The filters a relation opened the table with: always ANDed, under the pills.
    QList<KeysetQuery::Filter> m_relationFilters;
    quint64 m_catalogGeneration = 0;
    QPointer<SchemaDiagramView> m_diagram;
};

} // namespace ccpm
