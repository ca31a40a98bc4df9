#pragma once

#include "catalog.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QIcon>

namespace ccpm {

/// Studio's sidebar tree: schemas, then their tables (tables, partitioned tables, views,
/// materialized views and foreign tables, each with its icon), with a row count per table.
///
/// The count is PostgreSQL's estimate (pg_class.reltuples), always marked as one ("~1.0 M"), until
/// the caller reports an exact count (setExactCount(): "1,000,000", unmarked). A table without
/// a primary key carries a badge on its icon and says in its tooltip that it opens read-only.
/// setFilter() keeps the tables whose `schema.name` contains the text (any case); a schema is
/// listed while one of its tables is. Two columns: NameColumn, RowsColumn.
/// Units: rows. Errors: none (counting errors are reported to it with setCountError()).
/// Thread: GUI.
class CatalogTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, RowsColumn, ColumnCount };
    enum Role {
        SchemaRole = Qt::UserRole + 40, ///< QString, on schema and table items
        TableRole,                      ///< QString; null on a schema item
        KindRole,                       ///< QChar relkind (r p v m f); null on a schema item
        EstimatedRowsRole,              ///< qint64 reltuples (-1: never analysed)
        ExactRowsRole,                  ///< qint64 when counted, else null
        HasPrimaryKeyRole,              ///< bool
        CountingRole,                   ///< bool: an exact count is running
    };

    explicit CatalogTreeModel(QObject *parent = nullptr);

    void setCatalog(const SchemaCatalog &catalog);
    const SchemaCatalog &catalog() const { return m_catalog; }

    void setFilter(const QString &text);
    QString filter() const { return m_filter; }
    int visibleTableCount() const;
    /// The first table listed (in schema, then name order), or an invalid index.
    QModelIndex firstTable() const;
    QModelIndex tableIndex(const QString &schema, const QString &name, int column = NameColumn) const;
    /// The catalog's table at a table item, or nullptr (a schema item).
    const CatalogTable *tableAt(const QModelIndex &index) const;

    void setCounting(const QString &schema, const QString &name, bool counting);
    void setExactCount(const QString &schema, const QString &name, qint64 rows);
    void setCountError(const QString &schema, const QString &name, const QString &message);

    /// The estimate as shown: `~0`, `~950`, `~12.3 k`, `~1.0 M`, `~2.5 G`; `?` when never analysed.
    static QString estimateText(qint64 rows);
    /// The icon of a relkind; `noPrimaryKey` adds the badge.
    static QIcon kindIcon(QChar kind, bool noPrimaryKey = false);
    static QString kindName(QChar kind);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    struct SchemaNode {
        QString name;
        QList<int> tables; ///< indexes into m_catalog.tables
    };
    struct CountState {
        bool counting = false;
        qint64 exact = -1;
        QString error;
    };

    void rebuild();
    QVariant schemaData(const SchemaNode &node, int column, int role) const;
    QVariant tableData(const CatalogTable &table, int column, int role) const;
    void countChanged(const QString &schema, const QString &name);
    static QString key(const QString &schema, const QString &name);

    SchemaCatalog m_catalog;
    QString m_filter;
    QList<SchemaNode> m_nodes;
    QHash<QString, CountState> m_counts;
};

} // namespace ccpm
