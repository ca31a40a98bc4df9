#pragma once

#include "keysetquery.h"
#include "streamexport.h"

#include <QDialog>
#include <QElapsedTimer>

#include <memory>
#include <optional>

class QButtonGroup;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QTimer;

namespace ccpm {

class DbExecutor;

/// Exports the current view of a Studio table (its filters and sort: `query`) to a CSV or JSON
/// file through StreamExport: the user picks the format and the file (default
/// `<table>.csv` in the Documents folder), then watches rows, rows per second and a bar against
/// the exact count, and may cancel. A finished export says how many rows in how long; a failed
/// one shows the server's message. Cancel or a failure leave no file (a file that was there
/// stays as it was). Closing the dialog while it runs cancels the export.
/// `columns`: the names and JSON kinds of the first columns of `query`'s rows.
/// Thread: GUI. The export runs on a connection of its own (a one-worker DbExecutor made from
/// `executor`'s settings when it starts), so the grid's pages never queue behind it.
class ExportDialog : public QDialog {
    Q_OBJECT
public:
    ExportDialog(DbExecutor &executor, KeysetQuery query, QList<StreamExport::Column> columns,
                 const QString &tableName, QWidget *parent = nullptr);
    /// Exports the rows of one statement (the SQL console's result: `request`'s query and
    /// columns; without a count the bar is busy until it ends). `name` names the default file.
    ExportDialog(DbExecutor &executor, StreamExport::Request request, const QString &name,
                 QWidget *parent = nullptr);
    ~ExportDialog() override;

    StreamExport::Format format() const;
    void setFormat(StreamExport::Format format);
    QString fileName() const;
    void setFileName(const QString &fileName);
    bool isRunning() const { return m_running; }
    /// The line under the bar: progress, then the outcome.
    QString statusText() const;

    /// Starts the export to fileName() (what the Export button does).
    void start();
    /// Cancels a running export (what Cancel does while it runs).
    void cancel();

    void reject() override;

signals:
    /// The export ended: written, failed or cancelled; `message` is what the dialog shows.
    void exportFinished(bool ok, const QString &message);

private:
    struct Progress;
    ExportDialog(DbExecutor &executor, QWidget *parent);
    void build(const QString &tableName, const QString &noteText);
    void browse();
    void formatChanged();
    void showProgress();
    void finish(const Result<StreamExport::Summary> &result);
    void setRunning(bool running);

    DbExecutor &m_executor;
    std::unique_ptr<DbExecutor> m_exportExecutor;   ///< made by the first start()
    std::optional<KeysetQuery> m_query;             ///< Studio's table view
    std::optional<StreamExport::Request> m_request; ///< or the console's statement
    QList<StreamExport::Column> m_columns;
    QRadioButton *m_csv;
    QRadioButton *m_json;
    QLineEdit *m_file;
    QPushButton *m_browse;
    QProgressBar *m_bar;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    QPushButton *m_export;
    QPushButton *m_close;
    QTimer *m_timer;
    QElapsedTimer m_clock;
    std::shared_ptr<Progress> m_progress; ///< written by the worker, read by m_timer
    CancelToken m_token;
    bool m_running = false;
    bool m_closeWhenDone = false;
};

} // namespace ccpm
