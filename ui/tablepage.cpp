#include "tablepage.h"

#include "cellstyledelegate.h"
#include "pagedtablemodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
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
    auto *sizing = new QMetaObject::Connection;
    *sizing = connect(model, &QAbstractItemModel::dataChanged, this, [this, sizing] {
        if (!m_model->isLoaded(0))
            return;
        disconnect(*sizing);
        delete sizing;
        m_view->resizeColumnsToContents();
        for (int c = 0; c < m_model->columnCount(); ++c)
            m_view->setColumnWidth(c, qMin(m_view->columnWidth(c), 360));
    });
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
    m_search->setFocus();
    m_search->selectAll();
}

void TablePage::updateStatus()
{
    QString text = m_model->countText();
    if (m_model->hasStagedChanges())
        text = tr("%1 · unsaved changes (Ctrl+S saves)").arg(text);
    m_count->setText(text);
}

} // namespace ccpm
