#include "conflictdialog.h"

#include "itemroles.h"
#include "pagedtablemodel.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ccpm {

ConflictDialog::ConflictDialog(const PagedTableModel &model, int row, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Someone else changed this row"));
    auto *layout = new QVBoxLayout(this);
    bool gone = true;
    auto *table = new QTableWidget(0, 3, this);
    table->setHorizontalHeaderLabels({tr("Column"), tr("Yours"), tr("Saved by someone else")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int c = 0; c < model.columnCount(); ++c) {
        const QModelIndex index = model.index(row, c);
        const QVariant theirs = index.data(roles::TheirValue);
        if (!theirs.isValid())
            continue;
        gone = false;
        const int r = table->rowCount();
        table->insertRow(r);
        table->setItem(r, 0,
                       new QTableWidgetItem(model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString()));
        table->setItem(r, 1, new QTableWidgetItem(index.data(Qt::DisplayRole).toString()));
        table->setItem(r, 2, new QTableWidgetItem(theirs.toString()));
    }
    table->horizontalHeader()->setStretchLastSection(true);
    table->resizeColumnsToContents();
    layout->addWidget(
        new QLabel(gone ? tr("Someone else deleted this row after you loaded it. Your changes to it "
                             "cannot be saved.")
                        : tr("Someone else saved this row after you loaded it. Nothing was "
                             "overwritten. Which values should stay?"),
                   this));
    if (!gone)
        layout->addWidget(table);
    else
        delete table;

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    if (!gone) {
        QPushButton *mine = buttons->addButton(tr("Keep mine"), QDialogButtonBox::AcceptRole);
        connect(mine, &QPushButton::clicked, this, [this] {
            m_choice = KeepMine;
            accept();
        });
    }
    QPushButton *theirs = buttons->addButton(tr("Take theirs"), QDialogButtonBox::AcceptRole);
    connect(theirs, &QPushButton::clicked, this, [this] {
        m_choice = TakeTheirs;
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(560, 300);
}

} // namespace ccpm
