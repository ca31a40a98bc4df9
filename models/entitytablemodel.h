#pragma once

#include "itemroles.h"

#include <QAbstractTableModel>

namespace ccpm {

/// The QObject part of every table model over a database table: roles, loading state and
/// errors. Rows are held by RowTableModel<Row>; loading happens on the db workers.
/// Thread: GUI (or any one thread with an event loop).
class EntityTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Roles { RowIdRole = roles::RowId, RawValueRole = roles::RawValue };

    using QAbstractTableModel::QAbstractTableModel;

    bool isLoading() const { return m_loading; }
    QString lastError() const { return m_lastError; }

public slots:
    /// Loads every row again (off the GUI thread); the view is reset when they arrive.
    virtual void reload() = 0;

signals:
    void loadingChanged(bool loading);
    void errorOccurred(const QString &message);

protected:
    void setLoading(bool loading);
    void reportError(const QString &message);

private:
    bool m_loading = false;
    QString m_lastError;
};

} // namespace ccpm
