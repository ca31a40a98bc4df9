#include "exportdialog.h"

#include "dbexecutor.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardPaths>
#include <QTimer>
#include <QVBoxLayout>

#include <QCoro/QCoroTask>

#include <atomic>

namespace ccpm {

struct ExportDialog::Progress {
    std::atomic<qint64> rows{0};
    std::atomic<qint64> total{-1};
};

namespace {

QString suffix(StreamExport::Format format)
{
    return format == StreamExport::Format::Json ? QStringLiteral("json") : QStringLiteral("csv");
}

// A table may be named anything, including `a/b` or `we"ird; name`.
QString safeFileName(const QString &table)
{
    QString name = table.trimmed();
    for (QChar &c : name) {
        if (c.unicode() < 0x20 || QStringLiteral("/\\:*?\"<>|").contains(c))
            c = QLatin1Char('_');
    }
    return name.isEmpty() ? QStringLiteral("export") : name;
}

} // namespace

ExportDialog::ExportDialog(DbExecutor &executor, KeysetQuery query, QList<StreamExport::Column> columns,
                           const QString &tableName, QWidget *parent)
    : ExportDialog(executor, parent)
{
    m_query = std::move(query);
    m_columns = std::move(columns);
    build(tableName, tr("Exports every row of the current view, with its filters and sort. "
                        "NULL is written as an empty field in CSV and as null in JSON."));
}

ExportDialog::ExportDialog(DbExecutor &executor, StreamExport::Request request, const QString &name,
                           QWidget *parent)
    : ExportDialog(executor, parent)
{
    m_columns = request.columns;
    m_request = std::move(request);
    build(name,
          tr("Exports every row the statement returns, run again in a read-only transaction "
             "that sees committed data only. NULL is written as an empty field in CSV and as null in JSON."));
}

ExportDialog::ExportDialog(DbExecutor &executor, QWidget *parent)
    : QDialog(parent)
    , m_executor(executor)
    , m_csv(new QRadioButton(tr("CSV (comma-separated, with a header row)"), this))
    , m_json(new QRadioButton(tr("JSON (an array of objects, one per line)"), this))
    , m_file(new QLineEdit(this))
    , m_browse(new QPushButton(tr("Choose…"), this))
    , m_bar(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_buttons(new QDialogButtonBox(this))
    , m_timer(new QTimer(this))
    , m_progress(std::make_shared<Progress>())
{
}

void ExportDialog::build(const QString &tableName, const QString &noteText)
{
    setWindowTitle(tr("Export %1").arg(tableName));
    m_csv->setChecked(true);
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    m_file->setText(QDir(documents.isEmpty() ? QDir::homePath() : documents)
                        .filePath(safeFileName(tableName) + QStringLiteral(".csv")));
    m_file->setMinimumWidth(420);

    auto *formats = new QVBoxLayout;
    formats->addWidget(m_csv);
    formats->addWidget(m_json);
    auto *file = new QHBoxLayout;
    file->addWidget(m_file, 1);
    file->addWidget(m_browse);
    auto *form = new QFormLayout;
    form->addRow(tr("Format:"), formats);
    form->addRow(tr("File:"), file);

    auto *note = new QLabel(noteText, this);
    note->setWordWrap(true);
    m_bar->setRange(0, 1000);
    m_bar->setValue(0);
    m_bar->setTextVisible(false);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_export = m_buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    m_close = m_buttons->addButton(QDialogButtonBox::Close);
    m_export->setDefault(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addSpacing(8);
    layout->addWidget(m_bar);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    connect(m_browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_csv, &QRadioButton::toggled, this, &ExportDialog::formatChanged);
    connect(m_export, &QPushButton::clicked, this, &ExportDialog::start);
    connect(m_close, &QPushButton::clicked, this, &ExportDialog::reject);
    connect(m_timer, &QTimer::timeout, this, &ExportDialog::showProgress);
    m_timer->setInterval(100);
}

ExportDialog::~ExportDialog()
{
    if (m_running)
        m_exportExecutor->cancel(m_token);
}

StreamExport::Format ExportDialog::format() const
{
    return m_json->isChecked() ? StreamExport::Format::Json : StreamExport::Format::Csv;
}

void ExportDialog::setFormat(StreamExport::Format format)
{
    (format == StreamExport::Format::Json ? m_json : m_csv)->setChecked(true);
}

QString ExportDialog::fileName() const
{
    return m_file->text().trimmed();
}

void ExportDialog::setFileName(const QString &fileName)
{
    m_file->setText(fileName);
}

QString ExportDialog::statusText() const
{
    return m_status->text();
}

void ExportDialog::formatChanged()
{
    // The default name follows the format; a name the user chose keeps its own suffix.
    const QFileInfo info(fileName());
    const QString other =
        format() == StreamExport::Format::Json ? QStringLiteral("csv") : QStringLiteral("json");
    if (info.suffix().compare(other, Qt::CaseInsensitive) == 0)
        setFileName(info.dir().filePath(info.completeBaseName() + QLatin1Char('.') + suffix(format())));
}

void ExportDialog::browse()
{
    const QString filter =
        format() == StreamExport::Format::Json ? tr("JSON files (*.json)") : tr("CSV files (*.csv)");
    const QString chosen = QFileDialog::getSaveFileName(this, tr("Export to"), fileName(), filter);
    if (!chosen.isEmpty())
        setFileName(chosen);
}

void ExportDialog::setRunning(bool running)
{
    m_running = running;
    m_export->setEnabled(!running);
    m_csv->setEnabled(!running);
    m_json->setEnabled(!running);
    m_file->setEnabled(!running);
    m_browse->setEnabled(!running);
    m_close->setText(running ? tr("Cancel") : tr("Close"));
}

void ExportDialog::start()
{
    if (m_running)
        return;
    if (fileName().isEmpty()) {
        m_status->setText(tr("Choose the file to export to."));
        return;
    }
    StreamExport::Request request;
    if (m_query) {
        request.query = m_query->all();
        request.count = m_query->count();
    } else if (m_request) {
        request = *m_request;
    }
    request.columns = m_columns;
    request.format = format();
    request.fileName = fileName();

    if (!m_exportExecutor)
        m_exportExecutor = std::make_unique<DbExecutor>(m_executor.settings(), 1);
    m_progress = std::make_shared<Progress>();
    m_token = CancelToken();
    m_bar->setRange(0, 0); // busy until the count is known
    m_status->setText(tr("Counting the rows…"));
    m_status->setStyleSheet(QString());
    setRunning(true);
    m_clock.start();
    m_timer->start();

    auto onProgress = [progress = m_progress](qint64 rows, qint64 total) {
        progress->total = total;
        progress->rows = rows;
    };
    QCoro::connect(StreamExport::run(*m_exportExecutor, request, m_token, onProgress), this,
                   [this](const Result<StreamExport::Summary> &result) { finish(result); });
}

void ExportDialog::cancel()
{
    if (!m_running)
        return;
    m_status->setText(tr("Cancelling…"));
    m_exportExecutor->cancel(m_token);
}

void ExportDialog::reject()
{
    if (m_running) {
        m_closeWhenDone = true;
        cancel();
        return;
    }
    QDialog::reject();
}

void ExportDialog::showProgress()
{
    const qint64 rows = m_progress->rows;
    const qint64 total = m_progress->total;
    if (rows == 0 && total < 0)
        return;
    const double seconds = double(m_clock.elapsed()) / 1000.0;
    const QString rate =
        seconds > 0.2 ? tr("%1 rows/s").arg(QLocale().toString(qint64(double(rows) / seconds))) : QString();
    if (total >= 0) {
        m_bar->setRange(0, 1000);
        m_bar->setValue(total > 0 ? int(1000 * rows / total) : 0);
        m_status->setText(tr("%1 of %2 rows").arg(QLocale().toString(rows), QLocale().toString(total)) +
                          (rate.isEmpty() ? QString() : QStringLiteral(" · ") + rate));
    } else {
        m_status->setText(tr("%1 rows").arg(QLocale().toString(rows)) +
                          (rate.isEmpty() ? QString() : QStringLiteral(" · ") + rate));
    }
}

void ExportDialog::finish(const Result<StreamExport::Summary> &result)
{
    m_timer->stop();
    setRunning(false);
    QString message;
    if (result) {
        const double seconds = double(result->elapsedMs) / 1000.0;
        m_bar->setRange(0, 1000);
        m_bar->setValue(1000);
        const QString file = QDir::toNativeSeparators(fileName());
        const QString time = QLocale().toString(seconds, 'f', 1);
        const qint64 rate = seconds > 0 ? qint64(double(result->rows) / seconds) : result->rows;
        message = result->rows == 1
                      ? tr("Exported 1 row to %1 in %2 s.").arg(file, time)
                      : tr("Exported %1 rows to %2 in %3 s (%4 rows/s).")
                            .arg(QLocale().toString(result->rows), file, time, QLocale().toString(rate));
        m_status->setStyleSheet(QString());
    } else {
        m_bar->setRange(0, 1000);
        m_bar->setValue(0);
        message = result.error().kind == Error::Kind::Cancelled
                      ? tr("Export cancelled: no file was written.")
                      : tr("The export failed: %1").arg(result.error().message);
        m_status->setStyleSheet(
            result.error().kind == Error::Kind::Cancelled ? QString() : QStringLiteral("color: #b00020;"));
    }
    m_status->setText(message);
    emit exportFinished(result.ok(), message);
    if (m_closeWhenDone)
        QDialog::reject();
}

} // namespace ccpm
