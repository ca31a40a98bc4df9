#include "sqlconsoleview.h"

#include "dbexecutor.h"
#include "explainplanmodel.h"
#include "exportdialog.h"
#include "queryhistory.h"
#include "sqleditor.h"
#include "sqlresultmodel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <QCoro/QCoroTask>

namespace ccpm {

namespace {

QString elapsedText(qint64 ms)
{
    return ms < 1000 ? QCoreApplication::translate("ccpm::SqlConsoleView", "%1 ms").arg(ms)
                     : QCoreApplication::translate("ccpm::SqlConsoleView", "%1 s")
                           .arg(QLocale().toString(double(ms) / 1000.0, 'f', 2));
}

QString rowsText(qint64 rows)
{
    return rows == 1
               ? QCoreApplication::translate("ccpm::SqlConsoleView", "1 row")
               : QCoreApplication::translate("ccpm::SqlConsoleView", "%1 rows").arg(QLocale().toString(rows));
}

} // namespace

SqlConsoleView::SqlConsoleView(DbExecutor &executor, QWidget *parent)
    : QWidget(parent)
    , m_executor(executor)
    , m_toolbar(new QToolBar(this))
    , m_editor(new SqlEditor(this))
    , m_results(new QStackedWidget(this))
    , m_table(new QTableView(this))
    , m_plan(new QTreeView(this))
    , m_message(new QLabel(this))
    , m_transactionBar(new QWidget(this))
    , m_transactionText(new QLabel(this))
    , m_status(new QLabel(this))
    , m_historyList(new QListView(this))
    , m_timeout(new QSpinBox(this))
    , m_resultModel(new SqlResultModel(this))
    , m_planModel(new ExplainPlanModel(this))
    , m_savedMenu(new QMenu(this))
    , m_ticker(new QTimer(this))
{
    m_table->setModel(m_resultModel);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setDefaultSectionSize(150);
    m_plan->setModel(m_planModel);
    m_plan->setAlternatingRowColors(true);
    m_plan->setUniformRowHeights(true);
    m_plan->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_message->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_message->setMargin(12);
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setText(tr("Run a statement with Ctrl+Enter: its result shows here."));
    m_results->addWidget(m_message);
    m_results->addWidget(m_table);
    m_results->addWidget(m_plan);

    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_timeout->setRange(0, 24 * 3600);
    m_timeout->setValue(SqlConsole::kDefaultStatementTimeoutMs / 1000);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setSpecialValueText(tr("no timeout"));
    m_timeout->setToolTip(tr("Statement timeout: the server stops a statement that runs longer."));

    // The open write transaction: what is waiting, and the two ways out.
    m_transactionText->setTextFormat(Qt::PlainText);
    m_transactionText->setWordWrap(true);
    auto *commitButton = new QPushButton(tr("Commit"), m_transactionBar);
    auto *rollbackButton = new QPushButton(tr("Roll back"), m_transactionBar);
    auto *transactionLayout = new QHBoxLayout(m_transactionBar);
    transactionLayout->setContentsMargins(8, 4, 8, 4);
    transactionLayout->addWidget(m_transactionText, 1);
    transactionLayout->addWidget(commitButton);
    transactionLayout->addWidget(rollbackButton);
    m_transactionBar->setAutoFillBackground(true);
    QPalette barPalette = m_transactionBar->palette();
    barPalette.setColor(QPalette::Window, QColor(255, 236, 179));
    m_transactionBar->setPalette(barPalette);
    m_transactionBar->hide();
    connect(commitButton, &QPushButton::clicked, this, &SqlConsoleView::commit);
    connect(rollbackButton, &QPushButton::clicked, this, &SqlConsoleView::rollback);

    m_historyList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_historyList->setUniformItemSizes(true);
    m_historyList->hide();
    connect(m_historyList, &QListView::doubleClicked, this, [this](const QModelIndex &index) {
        QTextCursor cursor(m_editor->document());
        cursor.select(QTextCursor::Document);
        cursor.insertText(index.data(QueryHistory::StatementRole).toString()); // undoable
        m_editor->setFocus();
    });

    buildToolbar();

    auto *resultArea = new QWidget(this);
    auto *resultLayout = new QVBoxLayout(resultArea);
    resultLayout->setContentsMargins(0, 0, 0, 0);
    resultLayout->setSpacing(0);
    resultLayout->addWidget(m_transactionBar);
    resultLayout->addWidget(m_results, 1);
    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(m_editor);
    vertical->addWidget(resultArea);
    vertical->setStretchFactor(1, 1);
    vertical->setSizes({220, 400});
    auto *horizontal = new QSplitter(this);
    horizontal->addWidget(vertical);
    horizontal->addWidget(m_historyList);
    horizontal->setStretchFactor(0, 1);
    horizontal->setSizes({900, 280});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(m_toolbar);
    layout->addWidget(horizontal, 1);
    layout->addWidget(m_status);

    connect(m_editor, &SqlEditor::runRequested, this, &SqlConsoleView::run);
    connect(m_editor, &SqlEditor::cancelRequested, this, &SqlConsoleView::cancel);
    connect(m_resultModel, &SqlResultModel::rowsInserted, this, &SqlConsoleView::updateRowStatus);
    connect(m_resultModel, &SqlResultModel::rowCountKnown, this, &SqlConsoleView::updateRowStatus);
    connect(m_resultModel, &SqlResultModel::errorOccurred, this,
            [this](const QString &message) { setStatus(message, true); });
    m_ticker->setInterval(100);
    connect(m_ticker, &QTimer::timeout, this,
            [this] { setStatus(tr("Running… %1 (Esc cancels)").arg(elapsedText(m_clock.elapsed()))); });
    setFocusProxy(m_editor);
    updateState();
}

SqlConsoleView::~SqlConsoleView()
{
    // The model may hold a pointer to the console: let it go first.
    m_resultModel->clear();
}

void SqlConsoleView::buildToolbar()
{
    auto add = [this](const QString &text, const QString &keys, auto slot) {
        QAction *action = m_toolbar->addAction(text, this, slot);
        action->setToolTip(keys.isEmpty() ? text : QStringLiteral("%1 (%2)").arg(text, keys));
        return action;
    };
    // Ctrl+Enter and Esc belong to the editor (SqlEditor): as actions they would clash with
    // Studio's Ctrl+Return in the grid.
    m_run = add(tr("Run"), tr("Ctrl+Enter"), [this] { runCurrent(); });
    m_cancel = add(tr("Cancel"), tr("Esc"), [this] { cancel(); });
    m_toolbar->addSeparator();
    m_write = add(tr("Write mode"), QString(), [this](bool checked) {
        if (!setWriteMode(checked))
            m_write->setChecked(m_console && m_console->mode() == SqlConsole::Mode::Write);
    });
    m_write->setCheckable(true);
    m_write->setToolTip(tr("Read-only by default. Write mode (ADMIN only) runs statements in a transaction "
                           "that waits for Commit or Roll back."));
    m_commit = add(tr("Commit"), QString(), [this] { commit(); });
    m_rollback = add(tr("Roll back"), QString(), [this] { rollback(); });
    m_toolbar->addSeparator();
    auto *timeoutLabel = new QLabel(tr("Timeout:"), this);
    timeoutLabel->setContentsMargins(4, 0, 4, 0);
    m_toolbar->addWidget(timeoutLabel);
    m_toolbar->addWidget(m_timeout);
    m_toolbar->addSeparator();
    m_count = add(tr("Count rows"), QString(), [this] { m_resultModel->countRows(); });
    m_export = add(tr("Export…"), QString(), [this] { exportResult(); });
    m_toolbar->addSeparator();
    m_showHistory = add(tr("History"), QString(), [this](bool checked) { toggleHistory(checked); });
    m_showHistory->setCheckable(true);
    QAction *save = add(tr("Save query…"), QString(), [this] { saveQuery(); });
    save->setToolTip(tr("Saves the editor's text under a name (on this computer)."));
    auto *saved = new QToolButton(this);
    saved->setText(tr("Saved queries"));
    saved->setPopupMode(QToolButton::InstantPopup);
    saved->setMenu(m_savedMenu);
    m_toolbar->addWidget(saved);
    connect(m_savedMenu, &QMenu::aboutToShow, this, &SqlConsoleView::fillSavedMenu);
}

void SqlConsoleView::setActor(const Actor &actor, Role role)
{
    m_actor = actor;
    m_role = role;
    if (m_console && !m_console->transactionOpen() && !m_console->isRunning()) {
        m_resultModel->clear();
        m_console.reset();
    }
    delete m_history;
    m_history = nullptr;
    updateState();
}

void SqlConsoleView::setCatalog(const SchemaCatalog &catalog)
{
    m_editor->setCatalog(catalog);
}

void SqlConsoleView::setHistoryDirectory(const QString &directory)
{
    m_historyDirectory = directory;
    delete m_history;
    m_history = nullptr;
    if (m_showHistory->isChecked())
        toggleHistory(true);
}

SqlConsole &SqlConsoleView::ensureConsole()
{
    if (!m_console) {
        m_console = std::make_unique<SqlConsole>(m_executor.settings(), m_actor.value_or(Actor{}));
        connect(m_console.get(), &SqlConsole::runningChanged, this, &SqlConsoleView::updateState);
        connect(m_console.get(), &SqlConsole::transactionOpenChanged, this, &SqlConsoleView::updateState);
    }
    return *m_console;
}

QueryHistory &SqlConsoleView::ensureHistory()
{
    if (!m_history) {
        const ConnectionSettings &settings = m_executor.settings();
        const QString user = m_actor ? m_actor->userId : QStringLiteral("db:") + settings.user;
        const QString database = settings.displayName();
        m_history = new QueryHistory(user, database, m_historyDirectory, this);
        if (const Status loaded = m_history->load(); !loaded)
            emit statusMessage(loaded.error().toString());
        m_historyList->setModel(m_history);
    }
    return *m_history;
}

void SqlConsoleView::runCurrent()
{
    run(m_editor->currentStatement());
}

void SqlConsoleView::run(const SqlStatement &statement)
{
    if (isRunning())
        return;
    if (statement.isNull()) {
        setStatus(tr("Nothing to run: put the cursor in a statement or select one."));
        return;
    }
    SqlConsole &console = ensureConsole();
    console.setStatementTimeout(m_timeout->value() * 1000);
    m_editor->clearErrorMark();
    // A text EXPLAIN runs as FORMAT JSON, so that the plan shows as a tree.
    const QString json = SqlStatementSplitter::explainAsJson(statement.text);
    const bool explain = !json.isEmpty();
    const QString sent = explain ? json : statement.text;
    const quint64 generation = ++m_runGeneration;
    m_clock.start();
    m_ticker->start();
    setStatus(tr("Running… (Esc cancels)"));
    QCoro::connect(console.run(sent), this,
                   [this, statement, sent, explain, generation](const Result<SqlConsole::Outcome> &result) {
                       if (generation == m_runGeneration)
                           finish(statement, sent, explain, result);
                   });
    updateState();
}

void SqlConsoleView::finish(const SqlStatement &statement, const QString &sent, bool explain,
                            const Result<SqlConsole::Outcome> &result)
{
    m_ticker->stop();
    const qint64 elapsed = result ? result->elapsedMs : m_clock.elapsed();
    if (const Status added = ensureHistory().add(statement.text, elapsed, result.ok()); !added)
        emit statusMessage(added.error().toString());
    if (!result) {
        showError(statement, sent, result.error());
        updateState();
        emit runFinished(false);
        return;
    }
    const SqlConsole::Outcome &outcome = *result;
    if (explain && !outcome.rows.isEmpty() && !outcome.rows.first().isEmpty()) {
        if (const Status parsed = m_planModel->setPlan(outcome.rows.first().first().toString().toUtf8());
            !parsed) {
            showMessage(parsed.error().toString(), true);
            setStatus(parsed.error().message, true);
        } else {
            m_outcome.reset();
            m_resultModel->clear();
            m_results->setCurrentWidget(m_plan);
            m_plan->expandAll();
            for (int column = 0; column < ExplainPlanModel::ColumnCount; ++column)
                m_plan->resizeColumnToContents(column);
            m_plan->scrollTo(m_planModel->mostExpensive());
            QString text =
                m_planModel->analyzed()
                    ? tr("Plan: executed in %1 ms (planned in %2 ms); the node with the most time of "
                         "its own is highlighted.")
                          .arg(QLocale().toString(m_planModel->executionTimeMs(), 'f', 3),
                               QLocale().toString(m_planModel->planningTimeMs(), 'f', 3))
                    : tr("Plan (estimated, not run); the node with the highest cost of its own is "
                         "highlighted. EXPLAIN ANALYZE runs it.");
            setStatus(text + QStringLiteral(" — ") + elapsedText(elapsed));
        }
    } else if (!outcome.columns.isEmpty()) {
        m_outcome = outcome;
        m_resultModel->setResult(m_console.get(), outcome);
        m_results->setCurrentWidget(m_table);
        m_table->scrollToTop();
        m_table->resizeColumnsToContents();
        for (int column = 0; column < m_resultModel->columnCount(); ++column)
            m_table->setColumnWidth(column, qMin(m_table->columnWidth(column), 320));
        updateRowStatus();
    } else {
        m_outcome.reset();
        m_resultModel->clear();
        QString text = outcome.commandTag.isEmpty() ? tr("Done.") : outcome.commandTag;
        if (outcome.affectedRows >= 0)
            text = tr("%1 — %2 affected.").arg(text, rowsText(outcome.affectedRows));
        if (outcome.transactionOpen)
            text += QLatin1Char('\n') +
                    tr("Nothing is saved yet: Commit keeps the changes, Roll back undoes them.");
        showMessage(text);
        setStatus(tr("%1 — %2").arg(outcome.commandTag.isEmpty() ? tr("Done") : outcome.commandTag,
                                    elapsedText(elapsed)));
    }
    if (outcome.transactionOpen)
        m_transactionText->setText(
            tr("Write transaction open — last: %1. Commit keeps every change since it began; Roll back "
               "undoes them.")
                .arg(outcome.affectedRows >= 0
                         ? tr("%1 (%2)").arg(outcome.commandTag, rowsText(outcome.affectedRows))
                         : outcome.commandTag));
    updateState();
    emit runFinished(true);
}

void SqlConsoleView::showError(const SqlStatement &statement, const QString &sent, const Error &error)
{
    QStringList lines{error.message};
    if (!error.detail.isEmpty())
        lines << tr("Detail: %1").arg(error.detail);
    if (!error.hint.isEmpty())
        lines << tr("Hint: %1").arg(error.hint);
    if (error.kind == Error::Kind::Cancelled)
        lines = QStringList{tr("Cancelled.")};
    // The position is in the text sent; an EXPLAIN sent as FORMAT JSON differs only in front.
    int position = error.position;
    if (position > 0 && sent != statement.text)
        position -= int(sent.size() - statement.text.size());
    if (position > 0 && position <= statement.text.size() + 1) {
        m_editor->markError(statement.start + position - 1);
        const QTextCursor cursor = m_editor->textCursor();
        lines << tr("At line %1, column %2.").arg(cursor.blockNumber() + 1).arg(cursor.positionInBlock() + 1);
    }
    showMessage(lines.join(QLatin1Char('\n')), error.kind != Error::Kind::Cancelled);
    setStatus(lines.join(QStringLiteral(" — ")), error.kind != Error::Kind::Cancelled);
}

void SqlConsoleView::showMessage(const QString &text, bool error)
{
    m_outcome.reset();
    m_resultModel->clear();
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
    m_results->setCurrentWidget(m_message);
}

void SqlConsoleView::setStatus(const QString &text, bool error)
{
    m_lastStatus = text;
    m_statusIsError = error;
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void SqlConsoleView::updateRowStatus()
{
    if (m_results->currentWidget() != m_table || !m_outcome)
        return;
    const QLocale locale;
    const int rows = m_resultModel->rowCount();
    const QString count =
        m_resultModel->rowCountExact()
            ? rowsText(rows)
            : tr("first %1 rows (more as you scroll; Count rows counts them)").arg(locale.toString(rows));
    const QString columns = locale.toString(m_resultModel->columnCount());
    setStatus(m_resultModel->rowCountExact()
                  ? tr("%1 — %2 columns — in %3").arg(count, columns, elapsedText(m_outcome->elapsedMs))
                  : tr("%1 — %2 columns — first rows in %3")
                        .arg(count, columns, elapsedText(m_outcome->elapsedMs)));
    updateState();
}

void SqlConsoleView::cancel()
{
    if (!isRunning())
        return;
    m_console->cancel();
    setStatus(tr("Cancelling…"));
}

bool SqlConsoleView::setWriteMode(bool write, bool confirm)
{
    SqlConsole &console = ensureConsole();
    if (write == (console.mode() == SqlConsole::Mode::Write))
        return true;
    if (write && (!m_actor || m_role != Role::Admin)) {
        setStatus(tr("Only an ADMIN can switch the console to write mode."), true);
        return false;
    }
    if (!write && console.transactionOpen()) {
        setStatus(tr("Commit or roll back the open transaction before going back to read-only."), true);
        return false;
    }
    if (write && confirm &&
        QMessageBox::warning(
            this, tr("Switch to write mode?"),
            tr("In write mode, statements can change and delete data. Each change waits in an "
               "open transaction until you commit it or roll it back.\n\nSwitch to write mode?"),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
        return false;
    if (!console.setMode(write ? SqlConsole::Mode::Write : SqlConsole::Mode::ReadOnly))
        return false;
    setStatus(write ? tr("Write mode: changes wait for Commit or Roll back.") : tr("Read-only mode."));
    updateState();
    return true;
}

void SqlConsoleView::commit()
{
    if (!m_console || !m_console->transactionOpen() || isRunning())
        return;
    setStatus(tr("Committing…"));
    QCoro::connect(m_console->commit(), this, [this](const Status &status) {
        if (!status)
            setStatus(status.error().toString(), true);
        else
            setStatus(tr("Committed."));
        updateState();
    });
    updateState();
}

void SqlConsoleView::rollback()
{
    if (!m_console || !m_console->transactionOpen() || isRunning())
        return;
    setStatus(tr("Rolling back…"));
    QCoro::connect(m_console->rollback(), this, [this](const Status &status) {
        if (!status)
            setStatus(status.error().toString(), true);
        else
            setStatus(tr("Rolled back: nothing was changed."));
        updateState();
    });
    updateState();
}

void SqlConsoleView::exportResult()
{
    if (!m_outcome || m_outcome->columns.isEmpty())
        return;
    auto *dialog =
        new ExportDialog(m_executor, SqlConsole::exportRequest(*m_outcome, QString()), tr("query"), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ExportDialog::exportFinished, this, [this](bool, const QString &message) {
        setStatus(message);
        emit statusMessage(message);
    });
    dialog->open();
}

void SqlConsoleView::toggleHistory(bool shown)
{
    if (shown)
        ensureHistory();
    m_historyList->setVisible(shown);
    m_showHistory->setChecked(shown);
}

void SqlConsoleView::saveQuery()
{
    const QString text =
        m_editor->textCursor().hasSelection()
            ? m_editor->textCursor().selectedText().replace(QChar::ParagraphSeparator, QLatin1Char('\n'))
            : m_editor->toPlainText();
    if (text.trimmed().isEmpty()) {
        setStatus(tr("Nothing to save: the editor is empty."));
        return;
    }
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("Save query"), tr("Name:"), QLineEdit::Normal, {}, &ok);
    if (!ok)
        return;
    if (const Status saved = ensureHistory().saveQuery(name, text); !saved)
        setStatus(saved.error().toString(), true);
    else
        setStatus(tr("Saved as “%1”.").arg(name.trimmed()));
}

void SqlConsoleView::fillSavedMenu()
{
    m_savedMenu->clear();
    const QList<QueryHistory::SavedQuery> saved = ensureHistory().savedQueries();
    if (saved.isEmpty())
        m_savedMenu->addAction(tr("No saved queries yet"))->setEnabled(false);
    for (const QueryHistory::SavedQuery &query : saved) {
        QAction *action = m_savedMenu->addAction(query.name, this, [this, sql = query.sql] {
            QTextCursor cursor(m_editor->document());
            cursor.select(QTextCursor::Document);
            cursor.insertText(sql);
            m_editor->setFocus();
        });
        action->setToolTip(query.sql);
    }
    if (!saved.isEmpty()) {
        QMenu *remove = m_savedMenu->addMenu(tr("Remove"));
        for (const QueryHistory::SavedQuery &query : saved)
            remove->addAction(query.name, this, [this, name = query.name] {
                if (const Status removed = ensureHistory().removeQuery(name); !removed)
                    setStatus(removed.error().toString(), true);
            });
    }
}

QWidget *SqlConsoleView::currentResultWidget() const
{
    return m_results->currentWidget();
}

QString SqlConsoleView::statusText() const
{
    return m_lastStatus;
}

QString SqlConsoleView::messageText() const
{
    return m_message->text();
}

bool SqlConsoleView::isRunning() const
{
    return m_console && m_console->isRunning();
}

void SqlConsoleView::updateState()
{
    const bool running = isRunning();
    const bool open = m_console && m_console->transactionOpen();
    const bool write = m_console && m_console->mode() == SqlConsole::Mode::Write;
    m_run->setEnabled(!running);
    m_cancel->setEnabled(running);
    m_write->setChecked(write);
    const bool admin = m_actor && m_role == Role::Admin;
    m_write->setEnabled(!running && admin);
    m_write->setVisible(admin);
    m_commit->setVisible(write);
    m_rollback->setVisible(write);
    m_commit->setEnabled(open && !running);
    m_rollback->setEnabled(open && !running);
    m_transactionBar->setVisible(open);
    const bool rows = m_outcome && !m_outcome->columns.isEmpty() && m_results->currentWidget() == m_table;
    m_export->setEnabled(rows && !running);
    m_count->setEnabled(rows && m_outcome->cursor && !m_resultModel->rowCountExact());
}

} // namespace ccpm
