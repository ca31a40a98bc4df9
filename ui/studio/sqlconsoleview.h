#pragma once

#include "access.h"
#include "catalog.h"
#include "sqlconsole.h"
#include "sqlstatementsplitter.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QWidget>

#include <memory>
#include <optional>

class QAction;
class QLabel;
class QListView;
class QMenu;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableView;
class QTimer;
class QToolBar;
class QTreeView;

namespace ccpm {

class DbExecutor;
class ExplainPlanModel;
class QueryHistory;
class SqlEditor;
class SqlResultModel;

/// Studio's SQL page: an editor (SqlEditor) over the result of the statement last run, on a
/// SqlConsole of its own (one dedicated connection, made from `executor`'s settings at the first
/// run). Ctrl+Enter (or Run) runs the statement under the cursor or the selection; Esc (or
/// Cancel) cancels it. A row-returning result shows in a lazy grid (SqlResultModel), EXPLAIN
/// and EXPLAIN ANALYZE as a plan tree (run again as FORMAT JSON; the costliest node
/// highlighted), a command as its tag and affected rows. Read-only by default; an ADMIN may
/// switch to write mode (after a confirmation): changes then wait in an open transaction for
/// Commit or Roll back. The statement timeout is a spin box (seconds, 0: none). History (per
/// user and database, local: QueryHistory) and saved queries; Export… streams the result to CSV
/// or JSON (ExportDialog). Errors show the server's message, detail and hint in the status
/// line, and the error position is marked in the editor. Thread: GUI; SQL runs on the console's
/// worker.
class SqlConsoleView : public QWidget {
    Q_OBJECT
public:
    explicit SqlConsoleView(DbExecutor &executor, QWidget *parent = nullptr);
    ~SqlConsoleView() override;

    /// Inside the app: who runs statements; only an ADMIN gets the write switch. Without an
    /// actor (standalone Studio) the console is read-only: write mode checks the desk's roles.
    void setActor(const Actor &actor, Role role);
    /// Names offered by completion.
    void setCatalog(const SchemaCatalog &catalog);
    /// `directory` for the history file (tests); empty: the app's data folder.
    void setHistoryDirectory(const QString &directory);

    /// Runs what Ctrl+Enter would run.
    void runCurrent();
    /// Runs one statement of the editor (its offsets place error marks).
    void run(const SqlStatement &statement);
    void cancel();
    /// Asks (confirm) then switches to write mode; false when refused or not allowed.
    bool setWriteMode(bool write, bool confirm = true);
    void commit();
    void rollback();
    /// Opens the export dialog for the current row result.
    void exportResult();

    SqlEditor *editor() const { return m_editor; }
    SqlConsole *console() const { return m_console.get(); }
    SqlResultModel *resultModel() const { return m_resultModel; }
    ExplainPlanModel *planModel() const { return m_planModel; }
    QueryHistory *history() const { return m_history; }
    QTableView *resultView() const { return m_table; }
    QTreeView *planView() const { return m_plan; }
    /// The page the result area shows: the grid, the plan tree or the message.
    QWidget *currentResultWidget() const;
    QString statusText() const;
    QString messageText() const;
    bool isRunning() const;
    QAction *runAction() const { return m_run; }
    QAction *cancelAction() const { return m_cancel; }
    QAction *writeModeAction() const { return m_write; }

signals:
    void statusMessage(const QString &message);
    /// A run ended (ok or not): for tests and the status bar.
    void runFinished(bool ok);

private:
    void buildToolbar();
    SqlConsole &ensureConsole();
    QueryHistory &ensureHistory();
    void finish(const SqlStatement &statement, const QString &sent, bool explain,
                const Result<SqlConsole::Outcome> &result);
    void showError(const SqlStatement &statement, const QString &sent, const Error &error);
    void showMessage(const QString &text, bool error = false);
    void setStatus(const QString &text, bool error = false);
    void updateRowStatus();
    void updateState();
    void toggleHistory(bool shown);
    void saveQuery();
    void fillSavedMenu();

    DbExecutor &m_executor;
    std::optional<Actor> m_actor;
    Role m_role = Role::Admin;
    std::unique_ptr<SqlConsole> m_console;
    QString m_historyDirectory;
    QueryHistory *m_history = nullptr;
    std::optional<SqlConsole::Outcome> m_outcome; ///< the last row result (for export)

    QToolBar *m_toolbar;
    SqlEditor *m_editor;
    QStackedWidget *m_results;
    QTableView *m_table;
    QTreeView *m_plan;
    QLabel *m_message;
    QWidget *m_transactionBar;
    QLabel *m_transactionText;
    QLabel *m_status;
    QListView *m_historyList;
    QSpinBox *m_timeout;
    SqlResultModel *m_resultModel;
    ExplainPlanModel *m_planModel;
    QMenu *m_savedMenu;
    QAction *m_run = nullptr;
    QAction *m_cancel = nullptr;
    QAction *m_write = nullptr;
    QAction *m_commit = nullptr;
    QAction *m_rollback = nullptr;
    QAction *m_export = nullptr;
    QAction *m_count = nullptr;
    QAction *m_showHistory = nullptr;
    QTimer *m_ticker;
    QElapsedTimer m_clock;
    QString m_lastStatus;
    bool m_statusIsError = false;
    quint64 m_runGeneration = 0;
};

} // namespace ccpm
