#include "studiosidebar.h"

#include "catalogtreemodel.h"
#include "dbexecutor.h"
#include "quickswitcher.h"
#include "sqlvalues.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QSqlQuery>
#include <QTreeView>
#include <QVBoxLayout>

namespace ccpm {

namespace {

QString countKey(const QString &schema, const QString &name)
{
    return schema + QChar(0x1f) + name;
}

} // namespace

StudioSidebar::StudioSidebar(DbExecutor &executor, QWidget *parent)
    : QWidget(parent)
    , m_executor(executor)
    , m_model(new CatalogTreeModel(this))
    , m_search(new QLineEdit(this))
    , m_view(new QTreeView(this))
    , m_jump(new QAction(tr("Jump to table…"), this))
{
    m_search->setPlaceholderText(tr("Search tables (Ctrl+P jumps)"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);

    m_view->setModel(m_model);
    m_view->setHeaderHidden(true);
    m_view->setUniformRowHeights(true);
    m_view->setAllColumnsShowFocus(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(CatalogTreeModel::NameColumn, QHeaderView::Stretch);
    m_view->header()->setSectionResizeMode(CatalogTreeModel::RowsColumn, QHeaderView::ResizeToContents);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_search);
    layout->addWidget(m_view);

    // Ctrl+P anywhere in the window that shows the sidebar
    m_jump->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_jump->setShortcutContext(Qt::WindowShortcut);
    addAction(m_jump);
    connect(m_jump, &QAction::triggered, this, &StudioSidebar::showJump);

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_model->setFilter(text);
        m_view->expandAll();
        setCurrentTable(m_currentSchema, m_currentTable); // the reset dropped the selection
    });
    connect(m_search, &QLineEdit::returnPressed, this, &StudioSidebar::openFirstMatch);
    connect(m_view, &QTreeView::clicked, this, &StudioSidebar::activate);
    connect(m_view, &QTreeView::activated, this, &StudioSidebar::activate);
    connect(m_view, &QWidget::customContextMenuRequested, this, &StudioSidebar::showMenu);
}

StudioSidebar::~StudioSidebar()
{
    for (const CancelToken &token : std::as_const(m_counts))
        m_executor.cancel(token);
}

void StudioSidebar::setCatalog(const SchemaCatalog &catalog)
{
    for (const CancelToken &token : std::as_const(m_counts))
        m_executor.cancel(token);
    m_counts.clear();
    m_model->setCatalog(catalog);
    m_view->expandAll();
    setCurrentTable(m_currentSchema, m_currentTable);
}

void StudioSidebar::setCurrentTable(const QString &schema, const QString &name)
{
    m_currentSchema = schema;
    m_currentTable = name;
    const QModelIndex index = m_model->tableIndex(schema, name);
    if (index.isValid()) {
        m_view->setCurrentIndex(index);
        m_view->scrollTo(index);
    } else {
        m_view->clearSelection();
    }
}

void StudioSidebar::activate(const QModelIndex &index)
{
    if (const CatalogTable *table = m_model->tableAt(index))
        open(table->schema, table->name);
}

void StudioSidebar::open(const QString &schema, const QString &name)
{
    if (schema == m_currentSchema && name == m_currentTable)
        return; // already shown (a double click is a click, then an activation)
    setCurrentTable(schema, name);
    emit tableActivated(schema, name);
}

void StudioSidebar::openFirstMatch()
{
    if (const CatalogTable *table = m_model->tableAt(m_model->firstTable()))
        open(table->schema, table->name);
}

bool StudioSidebar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Down) {
        const QModelIndex first = m_model->firstTable();
        if (first.isValid()) {
            m_view->setFocus();
            m_view->setCurrentIndex(first);
        }
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void StudioSidebar::showMenu(const QPoint &pos)
{
    const CatalogTable *table = m_model->tableAt(m_view->indexAt(pos));
    if (!table)
        return;
    const QString schema = table->schema;
    const QString name = table->name;
    QMenu menu(this);
    menu.addAction(tr("Open"), this, [this, schema, name] { open(schema, name); });
    if (isCounting(schema, name))
        menu.addAction(tr("Cancel count"), this, [this, schema, name] { cancelCount(schema, name); });
    else
        menu.addAction(tr("Count rows exactly"), this, [this, schema, name] { countExactly(schema, name); });
    menu.addSeparator();
    menu.addAction(tr("Copy qualified name"), this,
                   [schema, name] { QApplication::clipboard()->setText(sql::quoteQualified(schema, name)); });
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

bool StudioSidebar::isCounting(const QString &schema, const QString &name) const
{
    return m_counts.contains(countKey(schema, name));
}

void StudioSidebar::countExactly(const QString &schema, const QString &name)
{
    const QString key = countKey(schema, name);
    if (m_counts.contains(key))
        return;
    CancelToken token;
    m_counts.insert(key, token);
    m_model->setCounting(schema, name, true);
    const QString statement = QStringLiteral("SELECT count(*) FROM ") + sql::quoteQualified(schema, name);
    auto job = [statement](QSqlDatabase &db) -> Result<qint64> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (Status s = sql::execPrepared(q, statement, {}, QStringLiteral("count the rows")); !s)
            return s.error();
        if (!q.next())
            return Error{Error::Kind::Query, QStringLiteral("The count returned no row."), {}, {}};
        return q.value(0).toLongLong();
    };
    QCoro::connect(m_executor.exec(job, token), this, [this, schema, name, key, token](Result<qint64> r) {
        // A count cancelled, or made stale by a new catalog, was already taken off
        if (m_counts.value(key).id() != token.id())
            return;
        m_counts.remove(key);
        if (r) {
            m_model->setExactCount(schema, name, *r);
            emit rowsCounted(schema, name, *r);
        } else if (r.error().kind == Error::Kind::Cancelled || r.error().sqlState == QLatin1String("57014")) {
            m_model->setCounting(schema, name, false);
        } else {
            m_model->setCountError(schema, name, r.error().message);
            emit countFailed(schema, name, r.error().message);
        }
    });
}

void StudioSidebar::cancelCount(const QString &schema, const QString &name)
{
    const QString key = countKey(schema, name);
    const auto it = m_counts.constFind(key);
    if (it == m_counts.cend())
        return;
    m_executor.cancel(*it);
    m_counts.remove(key);
    m_model->setCounting(schema, name, false);
}

QuickSwitcher *StudioSidebar::showJump()
{
    const SchemaCatalog &catalog = m_model->catalog();
    QStringList names;
    QList<QIcon> icons;
    for (const CatalogTable &table : catalog.tables) {
        names << table.schema + QLatin1Char('.') + table.name;
        icons << CatalogTreeModel::kindIcon(table.kind, false);
    }
    auto *jump = new QuickSwitcher(names, window());
    jump->setAttribute(Qt::WA_DeleteOnClose);
    jump->setPrompt(tr("Jump to table"), tr("Jump to table… (type part of its name, Enter opens it)"));
    jump->setIcons(icons);
    const QList<QPair<QString, QString>> tables = [&catalog] {
        QList<QPair<QString, QString>> out;
        for (const CatalogTable &table : catalog.tables)
            out.append({table.schema, table.name});
        return out;
    }();
    connect(jump, &QuickSwitcher::chosen, this, [this, tables](int index) {
        if (index >= 0 && index < tables.size())
            open(tables.at(index).first, tables.at(index).second);
    });
    jump->show();
    jump->input()->setFocus();
    return jump;
}

} // namespace ccpm
