#include "entitytablemodel.h"

namespace ccpm {

void EntityTableModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void EntityTableModel::reportError(const QString &message)
{
    m_lastError = message;
    emit errorOccurred(message);
}

} // namespace ccpm
