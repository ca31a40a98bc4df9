#include "sqlresultmodel.h"

namespace ccpm {

SqlResultModel::SqlResultModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void SqlResultModel::setResult(SqlConsole *, const SqlConsole::Outcome &) {}
void SqlResultModel::clear() {}
int SqlResultModel::cachedRowCount() const
{
    return 0;
}
void SqlResultModel::countRows() {}
int SqlResultModel::rowCount(const QModelIndex &) const
{
    return 0;
}
int SqlResultModel::columnCount(const QModelIndex &) const
{
    return 0;
}
QVariant SqlResultModel::data(const QModelIndex &, int) const
{
    return {};
}
QVariant SqlResultModel::headerData(int, Qt::Orientation, int) const
{
    return {};
}
bool SqlResultModel::canFetchMore(const QModelIndex &) const
{
    return false;
}
void SqlResultModel::fetchMore(const QModelIndex &) {}

} // namespace ccpm
