#include "tablepage.h"

#include "cellstyledelegate.h"
#include "itemroles.h"
#include "pagedtablemodel.h"
#include "sqlvalues.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace ccpm {

TablePage::TablePage(PagedTableModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_search(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_view(new QTableView(this))
    , m_searchDelay(new QTimer(this))
{
    m_search->setPlaceholderText(tr("Search text columns (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(360);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(250); // one query per pause in typing, not per key
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this,
            [this] { m_model->setQuickSearch(m_search->text().trimmed()); });

    m_view->setModel(model);
    m_view->setItemDelegate(new CellStyleDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::AnyKeyPressed);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed); // no per-row measuring
    m_view->verticalHeader()->hide();
    QHeaderView *header = m_view->horizontalHeader();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setDefaultSectionSize(150);
    header->setSortIndicator(model->spec().defaultSortColumn,
                             model->spec().defaultAscending ? Qt::AscendingOrder : Qt::DescendingOrder);
    m_view->setSortingEnabled(true); // header clicks call model->sort(): ORDER BY in SQL
    // Sized once, to the first rows; later sorts and pages keep the widths the user set.
    connect(model, &QAbstractItemModel::dataChanged, this, [this] {
        if (m_columnsSized || !m_model->isLoaded(0))
            return;
        m_columnsSized = true;
        m_view->resizeColumnsToContents();
        for (int c = 0; c < m_model->columnCount(); ++c)
            m_view->setColumnWidth(c, qMin(m_view->columnWidth(c), 360));
    });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &TablePage::showContextMenu);
    connect(model, &PagedTableModel::countChanged, this, &TablePage::updateStatus);
    connect(model, &PagedTableModel::stagedChangesChanged, this, &TablePage::updateStatus);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_search);
    bar->addStretch();
    bar->addWidget(m_count);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view);
    updateStatus();
}

void TablePage::focusSearch()
{
    if (m_search->isHidden()) {
        emit searchRequested();
        return;
    }
    m_search->setFocus();
    m_search->selectAll();
}

void TablePage::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_view->indexAt(position);
    QMenu menu(this);
    if (!m_contextActions.isEmpty() && index.isValid()) {
        m_view->setCurrentIndex(index);
        menu.addActions(m_contextActions);
        menu.addSeparator();
    }
    using Op = KeysetQuery::Filter::Op;
    if (index.isValid() && index.row() >= 0 && m_model->isLoaded(index.row())) {
        const ColumnSpec &column = m_model->spec().columns.at(index.column());
        const QVariant raw = index.data(roles::RawValue);
        const QString shown = index.data(Qt::DisplayRole).toString();
        const bool comparable =
            column.type == ColumnSpec::Type::Text || column.type == ColumnSpec::Type::Enum ||
            column.type == ColumnSpec::Type::Reference || column.type == ColumnSpec::Type::Integer ||
            column.type == ColumnSpec::Type::Boolean;
        if (comparable && raw.isValid()) {
            const QString label = shown.size() > 40 ? shown.left(39) + QChar(0x2026) : shown;
            const QVariant value = column.type == ColumnSpec::Type::Boolean
                                       ? QVariant(sql::boolText(raw.toBool()))
                                       : QVariant(raw.toString());
            menu.addAction(tr("Only %1 = “%2”").arg(column.header, label), this, [this, index, value] {
                addFilter({index.column(), Op::Equals, value});
            });
        }
        if (column.nullable) {
            menu.addAction(tr("Only rows where %1 is empty").arg(column.header), this, [this, index] {
                addFilter({index.column(), Op::IsNull, {}});
            });
            menu.addAction(tr("Only rows where %1 is set").arg(column.header), this, [this, index] {
                addFilter({index.column(), Op::IsNotNull, {}});
            });
        }
    }
    QAction *clear = menu.addAction(tr("Clear filters"), this, [this] {
        m_filters.clear();
        m_model->setFilters(m_baseFilters + m_filters);
        updateStatus();
    });
    clear->setEnabled(!m_filters.isEmpty());
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

void TablePage::addFilter(const ColumnFilter &filter)
{
    m_filters << filter;
    m_model->setFilters(m_baseFilters + m_filters);
    updateStatus();
}

void TablePage::setBaseFilters(const QList<ColumnFilter> &filters)
{
    m_baseFilters = filters;
    m_model->setFilters(m_baseFilters + m_filters);
    updateStatus();
}

void TablePage::setSearchVisible(bool visible)
{
    m_search->setVisible(visible);
}

void TablePage::updateStatus()
{
    QString text = m_model->countText();
    if (m_model->stagedNewRows() > 0)
        text = tr("%1 + %2 new").arg(text).arg(m_model->stagedNewRows());
    if (!m_filters.isEmpty())
        text = m_filters.size() == 1 ? tr("%1, filtered").arg(text)
                                     : tr("%1, %2 filters").arg(text).arg(m_filters.size());
    if (m_model->hasStagedChanges())
        text = tr("%1 · unsaved changes (Ctrl+S saves)").arg(text);
    m_count->setText(text);
}

} // namespace ccpm
