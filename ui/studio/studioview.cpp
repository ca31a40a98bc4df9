#include "studioview.h"

#include "breadcrumbbar.h"
#include "catalogtreemodel.h"
#include "clipboardformat.h"
#include "conflictdialog.h"
#include "dbexecutor.h"
#include "exportdialog.h"
#include "filterpillbar.h"
#include "itemroles.h"
#include "pagedtablemodel.h"
#include "relationspanel.h"
#include "savepreviewdialog.h"
#include "schemadiagramview.h"
#include "sqlconsoleview.h"
#include "sqleditor.h"
#include "sqlvalues.h"
#include "studioclipboard.h"
#include "studiodelegate.h"
#include "studiosidebar.h"
#include "studiospec.h"

#include <QAction>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QUndoStack>
#include <QVBoxLayout>

#include <qcorotask.h>

namespace ccpm {

StudioView::StudioView(DbExecutor &executor, QWidget *parent)
    : QWidget(parent)
    , m_executor(executor)
    , m_toolbar(new QToolBar(this))
    , m_title(new QLabel(this))
    , m_banner(new QLabel(this))
    , m_view(new QTableView(this))
    , m_status(new QLabel(this))
    , m_sidebar(new StudioSidebar(executor, this))
    , m_breadcrumb(new BreadcrumbBar(this))
    , m_relations(new RelationsPanel(executor, this))
    , m_filterBar(new FilterPillBar(this))
    , m_clipboard(new StudioClipboard(m_view))
    , m_pages(new QTabWidget(this))
    , m_console(new SqlConsoleView(executor, this))
{
    m_title->setTextFormat(Qt::PlainText);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::PlainText);
    m_banner->setMargin(6);
    m_banner->hide();
    m_status->setTextFormat(Qt::PlainText);

    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::AnyKeyPressed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionsMovable(true); // reorder by dragging; hide from the header's menu
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setDefaultSectionSize(150);
    header->setSortIndicatorShown(true);
    header->setSectionsClickable(true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QHeaderView::sectionClicked, this, &StudioView::headerClicked);
    connect(header, &QWidget::customContextMenuRequested, this, &StudioView::showHeaderMenu);
    m_view->setItemDelegate(new StudioDelegate(m_view)); // editors per type; NULL and DEFAULT painted apart
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &StudioView::showCellMenu);

    buildActions();
    auto *centre = new QWidget(this);
    auto *layout = new QVBoxLayout(centre);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(m_toolbar);
    layout->addWidget(m_breadcrumb);
    layout->addWidget(m_filterBar);
    layout->addWidget(m_banner);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    m_title->hide(); // the breadcrumb names the table
    // The table and the SQL console (issue 9) share the middle.
    m_pages->setDocumentMode(true);
    m_pages->addTab(centre, tr("Table"));
    m_pages->addTab(m_console, tr("SQL console"));
    m_pages->setTabToolTip(
        1, tr("Run SQL on this database (%1)")
               .arg(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E).toString(QKeySequence::NativeText)));
    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_sidebar);
    splitter->addWidget(m_pages);
    splitter->addWidget(m_relations);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({260, 900, 280});
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(splitter);

    connect(this, &StudioView::catalogLoaded, this, [this] {
        m_sidebar->setCatalog(m_catalog);
        m_relations->setCatalog(m_catalog);
        m_console->setCatalog(m_catalog);
    });
    connect(this, &StudioView::tableOpened, this, [this] { m_pages->setCurrentIndex(0); });
    // The relations panel follows the grid's row: beside the console it would only take room.
    connect(m_pages, &QTabWidget::currentChanged, this,
            [this] { m_relations->setVisible(m_pages->currentWidget() != m_console); });
    connect(m_console, &SqlConsoleView::statusMessage, this, &StudioView::statusMessage);
    connect(m_sidebar, &StudioSidebar::tableActivated, this,
            [this](const QString &schema, const QString &name) { open(schema, name); });
    connect(m_breadcrumb, &BreadcrumbBar::navigated, this, [this](const RelationTarget &target) {
        openTable(target.schema, target.table, RelationQueries::filters(target, QStringLiteral("t")));
    });
    connect(m_filterBar, &FilterPillBar::filtersChanged, this,
            [this](const QList<KeysetQuery::Filter> &filters, bool matchAny, const QString &quickSearch) {
                setFilters(filters, matchAny, quickSearch);
            });
    connect(m_clipboard, &StudioClipboard::message, this, &StudioView::statusMessage);
    connect(m_relations, &RelationsPanel::openReferenced, this,
            [this](const RelationTarget &target) { navigate(target); });
    connect(m_relations, &RelationsPanel::openFiltered, this,
            [this](const RelationTarget &target) { navigate(target); });
    updateState();
}

StudioView::~StudioView() = default;

void StudioView::buildActions()
{
    auto add = [this](const QString &text, const QKeySequence &shortcut, auto slot, bool onToolbar = true) {
        QAction *action = onToolbar ? m_toolbar->addAction(text, this, slot) : new QAction(text, this);
        if (!onToolbar)
            connect(action, &QAction::triggered, this, slot);
        action->setShortcut(shortcut);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(text, shortcut.toString(QKeySequence::NativeText)));
        addAction(action);
        return action;
    };
    m_save = add(tr("Save…"), QKeySequence::Save, [this] { save(true); });
    m_discard = add(tr("Discard"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backspace), [this] {
        if (m_model)
            m_model->discard();
        showTableNotice(); // a save's error no longer applies
    });
    m_toolbar->addSeparator();
    m_undo = add(tr("Undo"), QKeySequence::Undo, [this] {
        if (m_model)
            m_model->undoStack()->undo();
    });
    m_redo = add(tr("Redo"), QKeySequence::Redo, [this] {
        if (m_model)
            m_model->undoStack()->redo();
    });
    m_toolbar->addSeparator();
    m_addRow = add(tr("Add row"), QKeySequence(Qt::CTRL | Qt::Key_Insert), [this] {
        if (m_model && m_model->insertRows(0, 1)) {
            m_view->scrollToTop();
            m_view->setCurrentIndex(m_model->index(0, 0));
        }
    });
    m_deleteRows = add(tr("Delete rows"), QKeySequence::Delete, [this] {
        if (!m_model)
            return;
        QList<int> rows;
        for (const QModelIndex &index : m_view->selectionModel()->selectedIndexes())
            rows << index.row();
        std::sort(rows.begin(), rows.end());
        rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
        m_model->undoStack()->beginMacro(tr("Delete %n row(s)", nullptr, int(rows.size())));
        for (auto it = rows.crbegin(); it != rows.crend(); ++it)
            m_model->removeRows(*it, 1);
        m_model->undoStack()->endMacro();
    });
    m_setNull = add(tr("Set NULL"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N),
                    [this] { setSelectedCells(QVariant()); });
    m_setDefault = add(tr("Set DEFAULT"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D),
                       [this] { setSelectedCells(sql::columnDefault()); });
    m_toolbar->addSeparator();
    m_toolbar->addAction(m_breadcrumb->backAction()); // Alt+Left
    m_export = add(tr("Export…"), QKeySequence(Qt::CTRL | Qt::Key_E), [this] { exportView(); });
    add(tr("Diagram"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G), [this] { showDiagram(); });
    m_follow = add(
        tr("Open referenced row"), QKeySequence(Qt::CTRL | Qt::Key_Return),
        [this] { followForeignKey(m_view->currentIndex()); }, false);
    // Ctrl+Shift+E: free in Studio and in the main window (Ctrl+E exports the table).
    m_showConsole =
        add(tr("SQL console"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), [this] { showConsole(); });
    m_showConsole->setShortcutContext(Qt::WindowShortcut); // from the app's tab bar too, while Studio shows
    m_refresh = add(
        tr("Refresh"), QKeySequence::Refresh,
        [this] {
            if (m_model)
                m_model->refresh();
        },
        false);
}

void StudioView::setActor(const Actor &actor, Role role)
{
    m_actor = actor;
    m_role = role;
    m_console->setActor(actor, role);
    if (m_model)
        m_model->setActor(actor, role);
    updateState();
}

void StudioView::reloadCatalog()
{
    const quint64 generation = ++m_catalogGeneration;
    auto job = [](QSqlDatabase &db) { return Catalog::load(db); };
    QPointer<StudioView> self(this);
    QCoro::connect(m_executor.exec(job), this, [self, generation](Result<SchemaCatalog> result) {
        if (!self || generation != self->m_catalogGeneration)
            return;
        if (!result) {
            const QString message =
                tr("Cannot read the database's tables: %1").arg(result.error().toString());
            self->showBanner(message, true);
            emit self->catalogFailed(message);
            return;
        }
        self->m_catalog = std::move(result).value();
        emit self->catalogLoaded();
    });
}

const CatalogTable *StudioView::currentTable() const
{
    return m_catalog.find(m_schema, m_table);
}

bool StudioView::confirmLeave()
{
    if (!m_model || !m_model->hasStagedChanges())
        return true;
    const auto answer =
        QMessageBox::question(this, tr("Unsaved changes"),
                              tr("%1 has changes that are not saved. Discard them?").arg(m_title->text()),
                              QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    return answer == QMessageBox::Discard;
}

bool StudioView::openTable(const QString &schema, const QString &name,
                           const QList<KeysetQuery::Filter> &filters)
{
    const CatalogTable *table = m_catalog.find(schema, name);
    if (!table || !confirmLeave()) // staged edits are never dropped without asking
        return false;
    TableSpec spec = studioSpec(*table);
    if (m_actor)
        spec.writeRole = Role::Admin; // inside the app, Studio writes are an ADMIN's
    if (m_model)
        m_model->deleteLater();
    m_schema = schema;
    m_table = name;
    m_sort.clear();
    m_relationFilters = filters;
    m_filters.clear();
    m_matchAny = false;
    m_quickSearch.clear();
    m_model = new PagedTableModel(m_executor, std::move(spec), this);
    if (m_actor)
        m_model->setActor(*m_actor, m_role);
    m_view->setModel(m_model);
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    {
        const QSignalBlocker quiet(m_filterBar); // the new table starts without pills
        m_filterBar->setTableSpec(m_model->spec());
    }
    m_sidebar->setCurrentTable(schema, name);
    m_relations->clearRow();
    // Columns sized once, to the first rows (at most 360 px); later the user's widths stay.
    auto sized = std::make_shared<bool>(false);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this, sized] {
        if (*sized || !m_model || !m_model->isLoaded(0))
            return;
        *sized = true;
        m_view->resizeColumnsToContents();
        for (int c = 0; c < m_model->columnCount(); ++c)
            m_view->setColumnWidth(c, qBound(60, m_view->columnWidth(c), 360));
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid() && m_model && m_model->isLoaded(current.row()))
                    m_relations->setRow(m_schema, m_table, rowValues(current.row()),
                                        tr("Row %1").arg(current.row() + 1));
                else
                    m_relations->clearRow();
            });
    connect(m_model, &PagedTableModel::countChanged, this, &StudioView::updateState);
    connect(m_model, &PagedTableModel::stagedChangesChanged, this, &StudioView::updateState);
    connect(m_model->undoStack(), &QUndoStack::indexChanged, this, &StudioView::updateState);
    connect(m_model, &PagedTableModel::errorOccurred, this,
            [this](const QString &message) { showBanner(message, true); });
    connect(m_model, &PagedTableModel::saveFinished, this, [this](bool ok, const QString &message, int row) {
        emit statusMessage(message);
        if (ok) {
            m_banner->hide();
        } else {
            showBanner(message, true);
            if (row >= 0) {
                m_view->scrollTo(m_model->index(row, 0));
                if (m_model->hasConflict(row)) {
                    ConflictDialog dialog(*m_model, row, this);
                    dialog.exec();
                    if (dialog.choice() == ConflictDialog::KeepMine)
                        m_model->keepMine(row);
                    else if (dialog.choice() == ConflictDialog::TakeTheirs)
                        m_model->takeTheirs(row);
                }
            }
        }
        updateState();
    });
    m_title->setText(schema == QLatin1String("public") ? name : schema + QLatin1Char('.') + name);
    showTableNotice();
    applyQuery();
    emit tableOpened(schema, name);
    return true;
}

void StudioView::setSortKeys(const QList<QPair<int, bool>> &keys)
{
    m_sort = keys;
    QHeaderView *header = m_view->horizontalHeader();
    if (m_sort.isEmpty())
        header->setSortIndicator(-1, Qt::AscendingOrder);
    else
        header->setSortIndicator(m_sort.first().first,
                                 m_sort.first().second ? Qt::AscendingOrder : Qt::DescendingOrder);
    applyQuery();
}

void StudioView::setFilters(const QList<KeysetQuery::Filter> &filters, bool matchAny,
                            const QString &quickSearch)
{
    m_filters = filters;
    m_matchAny = matchAny;
    m_quickSearch = quickSearch;
    applyQuery();
}

KeysetQuery StudioView::currentQuery() const
{
    KeysetQuery query = m_model->spec().query(m_sort, m_filters, m_matchAny, m_quickSearch);
    query.setRequiredFilters(m_relationFilters);
    return query;
}

void StudioView::showConsole()
{
    m_pages->setCurrentWidget(m_console);
    m_console->editor()->setFocus();
}

bool StudioView::consoleShown() const
{
    return m_pages->currentWidget() == m_console;
}

void StudioView::exportView()
{
    if (!m_model)
        return;
    QList<StreamExport::Column> columns;
    for (const ColumnSpec &column : m_model->spec().columns)
        columns << StreamExport::Column{column.name, clipboard::valueKind(column)};
    auto *dialog = new ExportDialog(m_executor, currentQuery(), columns, m_table, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ExportDialog::exportFinished, this,
            [this](bool, const QString &message) { emit statusMessage(message); });
    dialog->open();
}

void StudioView::applyQuery()
{
    if (!m_model)
        return;
    m_model->setQuery(currentQuery());
    updateState();
}

// A click sorts by that column alone (again: the other direction); Shift+click adds it as the
// next key, or turns its direction if it is one already.
void StudioView::headerClicked(int section)
{
    if (!m_model)
        return;
    const bool add = QGuiApplication::keyboardModifiers().testFlag(Qt::ShiftModifier);
    int at = -1;
    for (int i = 0; i < m_sort.size(); ++i) {
        if (m_sort.at(i).first == section)
            at = i;
    }
    QList<QPair<int, bool>> keys = add ? m_sort : QList<QPair<int, bool>>{};
    if (at >= 0 && (add || m_sort.size() == 1)) {
        if (!add)
            keys = {{section, !m_sort.at(at).second}};
        else
            keys[at].second = !keys[at].second;
    } else {
        keys << qMakePair(section, true);
    }
    setSortKeys(keys);
}

void StudioView::showHeaderMenu(const QPoint &position)
{
    if (!m_model)
        return;
    QHeaderView *header = m_view->horizontalHeader();
    QMenu menu(this);
    const int section = header->logicalIndexAt(position);
    if (section >= 0) {
        const QString name = m_model->headerData(section, Qt::Horizontal, Qt::DisplayRole).toString();
        menu.addAction(tr("Hide “%1”").arg(name), this, [header, section] { header->hideSection(section); });
        menu.addAction(tr("Sort by “%1”, then by the current keys").arg(name), this, [this, section] {
            QList<QPair<int, bool>> keys{{section, true}};
            for (const auto &key : std::as_const(m_sort)) {
                if (key.first != section)
                    keys << key;
            }
            setSortKeys(keys);
        });
    }
    menu.addAction(tr("Clear the sort"), this, [this] { setSortKeys({}); })->setEnabled(!m_sort.isEmpty());
    QMenu *columns = menu.addMenu(tr("Columns"));
    for (int c = 0; c < m_model->columnCount(); ++c) {
        QAction *toggle =
            columns->addAction(m_model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
        toggle->setCheckable(true);
        toggle->setChecked(!header->isSectionHidden(c));
        connect(toggle, &QAction::toggled, header,
                [header, c](bool shown) { header->setSectionHidden(c, !shown); });
    }
    columns->addSeparator();
    columns->addAction(tr("Show all"), this, [header] {
        for (int c = 0; c < header->count(); ++c)
            header->showSection(c);
    });
    columns->addAction(tr("Fit widths to contents"), this, [this] {
        m_view->resizeColumnsToContents();
        for (int c = 0; c < m_model->columnCount(); ++c)
            m_view->setColumnWidth(c, qMin(m_view->columnWidth(c), 360));
    });
    menu.exec(header->viewport()->mapToGlobal(position));
}

QVariantMap StudioView::rowValues(int row) const
{
    QVariantMap values;
    if (!m_model || row < 0)
        return values;
    for (int c = 0; c < m_model->columnCount(); ++c) {
        const QVariant text = m_model->index(row, c).data(roles::StoredText);
        values.insert(m_model->spec().columns.at(c).name, sql::isColumnDefault(text) ? QVariant() : text);
    }
    return values;
}

bool StudioView::followForeignKey(const QModelIndex &cell)
{
    const CatalogTable *table = currentTable();
    if (!m_model || !table || !cell.isValid())
        return false;
    const QString column = m_model->spec().columns.at(cell.column()).name;
    const std::optional<ForwardRelation> relation =
        RelationQueries::forwardFor(m_catalog, *table, column, rowValues(cell.row()));
    if (!relation) {
        emit statusMessage(tr("%1 is not part of a foreign key.").arg(column));
        return false;
    }
    if (relation->isNull) {
        emit statusMessage(tr("%1 is NULL here: it refers to no row.").arg(column));
        return false;
    }
    return navigate(relation->target);
}

bool StudioView::open(const QString &schema, const QString &name)
{
    if (!openTable(schema, name)) {
        m_sidebar->setCurrentTable(m_schema, m_table);
        return false;
    }
    const RelationTarget whole{schema, name, {}, {}, {}};
    m_breadcrumb->reset(BreadcrumbBar::describe(whole), whole);
    return true;
}

bool StudioView::navigate(const RelationTarget &target, const QString &label)
{
    if (!openTable(target.schema, target.table, RelationQueries::filters(target, QStringLiteral("t"))))
        return false;
    m_breadcrumb->push(label.isEmpty() ? BreadcrumbBar::describe(target) : label, target);
    return true;
}

bool StudioView::back()
{
    return m_breadcrumb->back();
}

void StudioView::showCellMenu(const QPoint &position)
{
    QMenu menu(this);
    menu.addAction(m_follow);
    menu.addAction(m_setNull);
    menu.addAction(m_setDefault);
    menu.addSeparator();
    menu.addAction(m_clipboard->copyAction());
    menu.addAction(m_clipboard->copyRowAction());
    menu.addAction(m_clipboard->pasteAction());
    menu.addSeparator();
    menu.addAction(m_addRow);
    menu.addAction(m_deleteRows);
    menu.addSeparator();
    menu.addAction(m_refresh);
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

void StudioView::setSelectedCells(const QVariant &value)
{
    if (!m_model)
        return;
    const QModelIndexList cells = m_view->selectionModel()->selectedIndexes();
    int refused = 0;
    m_model->undoStack()->beginMacro(sql::isColumnDefault(value) ? tr("Set to DEFAULT") : tr("Set to NULL"));
    for (const QModelIndex &cell : cells) {
        const ColumnSpec &column = m_model->spec().columns.at(cell.column());
        const bool allowed = (cell.flags() & Qt::ItemIsEditable) &&
                             (sql::isColumnDefault(value) ? column.hasDefault : column.nullable);
        if (!allowed || !m_model->setData(cell, value))
            ++refused;
    }
    m_model->undoStack()->endMacro();
    if (refused > 0)
        emit statusMessage(
            sql::isColumnDefault(value)
                ? tr("%n cell(s) left as they were: no default, or not editable.", nullptr, refused)
                : tr("%n cell(s) left as they were: NOT NULL, or not editable.", nullptr, refused));
}

void StudioView::save(bool confirm)
{
    if (!m_model || !m_model->hasStagedChanges())
        return;
    if (const QList<StagedChanges::Problem> problems = m_model->validate(); !problems.isEmpty()) {
        m_model->save(); // reports the first problem at its row, writes nothing
        return;
    }
    if (confirm) {
        SavePreviewDialog preview(m_model->savePreview(), this);
        if (preview.exec() != QDialog::Accepted)
            return;
    }
    m_model->save();
    updateState();
}

void StudioView::showTableNotice()
{
    const QString &why = m_model ? m_model->spec().readOnlyReason : QString();
    if (!why.isEmpty())
        showBanner(why, false);
    else if (m_model && m_actor && m_role != Role::Admin)
        showBanner(tr("Read-only: Studio edits need the ADMIN role."), false);
    else
        m_banner->hide();
}

void StudioView::showBanner(const QString &text, bool error)
{
    m_banner->setText(text);
    m_banner->setStyleSheet(error ? QStringLiteral("background:#fde7e9;color:#8a1c25;border-radius:4px;")
                                  : QStringLiteral("background:#fff4ce;color:#5c4400;border-radius:4px;"));
    m_banner->show();
}

void StudioView::updateState()
{
    const bool writable = m_model && m_model->canWrite() && m_model->spec().readOnlyReason.isEmpty();
    const bool staged = m_model && m_model->hasStagedChanges();
    const bool saving = m_model && m_model->isSaving();
    m_save->setEnabled(staged && !saving);
    m_discard->setEnabled(staged && !saving);
    m_undo->setEnabled(m_model && m_model->undoStack()->canUndo() && !saving);
    m_redo->setEnabled(m_model && m_model->undoStack()->canRedo() && !saving);
    m_addRow->setEnabled(writable && m_model->spec().canInsert && !saving);
    m_deleteRows->setEnabled(writable && m_model->spec().canDelete && !saving);
    m_setNull->setEnabled(writable && !saving);
    m_setDefault->setEnabled(writable && !saving);
    m_refresh->setEnabled(m_model);
    m_export->setEnabled(m_model);

    if (!m_model) {
        m_status->setText(tr("Choose a table on the left (Ctrl+P)."));
        return;
    }
    QString status = m_model->countText();
    if (!m_sort.isEmpty()) {
        QStringList keys;
        for (const auto &[column, ascending] : std::as_const(m_sort))
            keys << m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString() +
                        (ascending ? QStringLiteral(" ↑") : QStringLiteral(" ↓"));
        status += QStringLiteral(" · ") + tr("sorted by %1").arg(keys.join(QStringLiteral(", ")));
    }
    if (staged)
        status += QStringLiteral(" · ") + tr("%n statement(s) to save", nullptr, m_model->stagedRowCount());
    m_status->setText(status);
}

SchemaDiagramView *StudioView::showDiagram()
{
    const QString selected = m_sidebar->view()->currentIndex().data(CatalogTreeModel::SchemaRole).toString();
    if (!m_diagram) {
        m_diagram = new SchemaDiagramView(this);
        m_diagram->setWindowFlag(Qt::Window);
        m_diagram->setWindowTitle(tr("Schema diagram"));
        m_diagram->resize(1200, 760);
        connect(m_diagram, &SchemaDiagramView::tableActivated, this,
                [this](const QString &schema, const QString &name) {
                    if (open(schema, name))
                        window()->activateWindow();
                });
        connect(this, &StudioView::catalogLoaded, m_diagram, [this] {
            if (m_diagram->isVisible()) // F5: the diagram follows the catalog read again
                m_diagram->setCatalog(m_catalog, m_diagram->schema());
        });
    }
    m_diagram->setCatalog(m_catalog, !selected.isEmpty()   ? selected
                                     : !m_schema.isEmpty() ? m_schema
                                                           : m_catalog.schemas().value(0));
    m_diagram->show();
    m_diagram->raise();
    return m_diagram;
}

} // namespace ccpm
