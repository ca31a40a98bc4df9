#pragma once

#include "changefeed.h"
#include "dbexecutor.h"
#include "entitytablemodel.h"

#include <QCoro/QCoroTask>

#include <QSet>

#include <functional>

namespace ccpm {

/// A table model over a QList of plain row structs (rows.h), loaded through a repository.
/// Subclasses describe their columns and how to list and get rows; this class keeps the rows,
/// refreshes single rows when the change feed names them (dataChanged for that row only, never
/// a reset), and drops load results that a newer reload() has overtaken (generation counter).
/// Thread: GUI; the repository work runs on the executor's workers.
template <typename Row>
class RowTableModel : public EntityTableModel {
public:
    struct Column {
        QString header;
        std::function<QVariant(const Row &row, int role)> value;
    };

    RowTableModel(DbExecutor &executor, ChangeFeed &feed, QString table, QObject *parent)
        : EntityTableModel(parent)
        , m_executor(&executor)
        , m_table(std::move(table))
    {
        QObject::connect(&feed, &ChangeFeed::rowChanged, this,
                         [this](const QString &table, const QString &id, ChangeFeed::Op op) {
                             if (table == m_table)
                                 refreshRow(id, op);
                         });
    }

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_columns.size());
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        const Row &row = m_rows.at(index.row());
        if (role == RowIdRole)
            return row.id;
        return m_columns.at(index.column()).value(row, role);
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 &&
            section < m_columns.size())
            return m_columns.at(section).header;
        return QAbstractTableModel::headerData(section, orientation, role);
    }

    const Row &rowAt(int row) const { return m_rows.at(row); }
    int rowOf(const QString &id) const
    {
        for (int i = 0; i < m_rows.size(); ++i) {
            if (m_rows.at(i).id == id)
                return i;
        }
        return -1;
    }

    void reload() override
    {
        const quint64 generation = ++m_generation;
        setLoading(true);
        QCoro::connect(fetchAll(), this, [this, generation](Result<QList<Row>> result) {
            if (generation != m_generation)
                return; // a newer reload() is under way
            setLoading(false);
            if (!result) {
                reportError(result.error().toString());
                return;
            }
            beginResetModel();
            m_rows = std::move(result).value();
            endResetModel();
        });
    }

protected:
    virtual QCoro::Task<Result<QList<Row>>> fetchAll() const = 0;
    virtual QCoro::Task<Result<Row>> fetchOne(const QString &id) const = 0;

    void setColumns(QList<Column> columns) { m_columns = std::move(columns); }
    DbExecutor &executor() const { return *m_executor; }

private:
    void refreshRow(const QString &id, ChangeFeed::Op op)
    {
        if (op == ChangeFeed::Op::Delete) {
            removeById(id);
            return;
        }
        // One fetch per row at a time: changes announced meanwhile are folded into one more fetch,
        // so a burst of updates to a row costs two queries, not one per update.
        if (m_fetching.contains(id)) {
            m_stale.insert(id);
            return;
        }
        m_fetching.insert(id);
        const quint64 generation = m_generation;
        QCoro::connect(fetchOne(id), this, [this, id, generation](Result<Row> result) {
            m_fetching.remove(id);
            if (m_stale.remove(id)) {
                refreshRow(id, ChangeFeed::Op::Update);
                return; // the newer fetch brings the newer row
            }
            if (generation != m_generation)
                return; // a reload since then brings the row anyway
            if (!result) {
                if (result.error().kind == Error::Kind::NotFound)
                    removeById(id);
                else
                    reportError(result.error().toString());
                return;
            }
            const int row = rowOf(id);
            if (row >= 0) {
                m_rows[row] = std::move(result).value();
                emit dataChanged(index(row, 0), index(row, columnCount() - 1));
            } else {
                beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
                m_rows.append(std::move(result).value());
                endInsertRows();
            }
        });
    }

    void removeById(const QString &id)
    {
        const int row = rowOf(id);
        if (row < 0)
            return;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }

    DbExecutor *m_executor;
    QString m_table;
    QList<Column> m_columns;
    QList<Row> m_rows;
    quint64 m_generation = 0;
    QSet<QString> m_fetching; ///< rows with a fetch under way
    QSet<QString> m_stale;    ///< rows changed again while being fetched
};

} // namespace ccpm
