#pragma once

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QVariant>

#include <libpq-fe.h>

#include <memory>

namespace ccpm {

/// The libpq connection behind a QPSQL QSqlDatabase, for what Qt Sql cannot do (cancel handles,
/// DECLARE … CURSOR with PQexecParams, the server's error fields): QPSQL's handle is a PGconn*
/// (qsql_psql.cpp: QVariant::fromValue<PGconn *>), which Qt names after the struct behind the
/// typedef, "pg_conn*". Null when the database is closed or not QPSQL.
/// Thread: the connection's own (the thread that owns `db`).
inline PGconn *pgConnection(const QSqlDatabase &db)
{
    if (!db.isOpen() || !db.driver())
        return nullptr;
    const QVariant handle = db.driver()->handle();
    if (qstrcmp(handle.typeName(), "pg_conn*") != 0 && qstrcmp(handle.typeName(), "PGconn*") != 0)
        return nullptr;
    return *static_cast<PGconn *const *>(handle.constData());
}

/// Owns a PGresult (PQclear on destruction).
struct PgResultDeleter {
    void operator()(PGresult *r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

} // namespace ccpm
