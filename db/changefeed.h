#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

namespace ccpm {

/// Announces "row `id` of table `table` changed", whoever changed it: this process's services,
/// the agent hub, or other desks and the backend through PostgreSQL NOTIFY (ChangeListener, origin
/// "pg"). Models refresh that one row; the hub forwards assignments to connected agents.
/// Op::TableChanged (empty id) means "any row of the table may have changed": a bulk statement,
/// or notifications lost while the listener was reconnecting. Followers read again what they show.
///
/// Thread: publish() may be called from any thread; receivers get the signal in their own
/// thread (queued across threads). One instance per database, owned by the app.
class ChangeFeed : public QObject {
    Q_OBJECT
public:
    enum class Op { Insert, Update, Delete, TableChanged };
    Q_ENUM(Op)

    using QObject::QObject;

    /// `origin` names the writer ("hub", "desk"; empty when unknown), so that a writer can tell
    /// its own changes from others'.
    void publish(const QString &table, const QString &id, Op op, const QString &origin = {})
    {
        publishRows(table, id.isEmpty() ? QStringList() : QStringList{id}, op, origin);
    }
    /// Many rows of one table changed the same way (a batch of the hub's writes, one NOTIFY):
    /// one rowsChanged() for all of them, so that a receiver in another thread gets one queued
    /// event per batch, not one per row. Empty `ids` with Op::TableChanged: any row.
    void publishRows(const QString &table, const QStringList &ids, Op op, const QString &origin = {})
    {
        emit rowsChanged(table, ids, op, origin);
        for (const QString &id : eachId(ids))
            emit rowChanged(table, id, op, origin);
    }
    /// The ids of a rowsChanged() one by one, as rowChanged() has them: an empty id for "any
    /// row" (empty `ids`).
    static QStringList eachId(const QStringList &ids) { return ids.isEmpty() ? QStringList{QString()} : ids; }

signals:
    /// Every published change, one row at a time (simple listeners and tests).
    void rowChanged(const QString &table, const QString &id, ccpm::ChangeFeed::Op op, const QString &origin);
    /// Every published change, as published: the receivers that follow heavy traffic (models, hub).
    void rowsChanged(const QString &table, const QStringList &ids, ccpm::ChangeFeed::Op op,
                     const QString &origin);
};

} // namespace ccpm
