#pragma once

#include <QSqlError>
#include <QString>

#include <utility>
#include <variant>

namespace ccpm {

/// An error a user can read and act on, carried as a value (no exceptions cross threads).
/// `message` is one sentence for the user; `detail` is optional technical context (server
/// detail, SQLSTATE). Neither ever contains a password.
struct Error {
    enum class Kind {
        Connection,  ///< the server cannot be reached, or the connection was lost
        Query,       ///< the server refused a statement
        Constraint,  ///< a unique, foreign-key or check constraint was violated (SQLSTATE class 23)
        NotFound,    ///< the row asked for does not exist
        Invalid,     ///< the input was malformed (URL, JSON-RPC message, field value)
        Auth,        ///< wrong credentials, a bad or revoked token, an ended session
        Forbidden,   ///< the signed-in user's role does not allow the operation (Access)
        Schema,      ///< the database schema is not what this version expects (migrations)
        Environment, ///< something missing on this machine (a binary, a package, a display)
        Conflict,    ///< another writer changed the row since it was loaded (optimistic concurrency)
        Cancelled,   ///< the caller abandoned the work (CancelToken)
    };

    Error() = default;
    Error(Kind kind, QString message, QString detail = {}, QString sqlState = {}, QString hint = {},
          int position = 0)
        : kind(kind)
        , message(std::move(message))
        , detail(std::move(detail))
        , sqlState(std::move(sqlState))
        , hint(std::move(hint))
        , position(position)
    {
    }

    Kind kind = Kind::Query;
    QString message;
    QString detail;
    QString sqlState; ///< five-character SQLSTATE when the server sent one
    QString hint;     ///< the server's hint (PG_DIAG_MESSAGE_HINT), when it sent one
    /// 1-based character index into the statement that failed (PG_DIAG_STATEMENT_POSITION); 0: none.
    int position = 0;

    static Error fromSql(const QSqlError &error, const QString &context = {});
    QString toString() const; ///< message, then detail in parentheses when present
};

/// Either a value or an Error. Cheap to move, copyable when T is.
template <typename T>
class [[nodiscard]] Result {
public:
    /// An empty result reads as an error; it exists because QCoro::waitFor() default-constructs.
    Result()
        : m_data(Error{Error::Kind::Invalid, QStringLiteral("No result."), {}, {}})
    {
    }
    Result(T value)
        : m_data(std::move(value))
    {
    }
    Result(Error error)
        : m_data(std::move(error))
    {
    }

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }

    const Error &error() const { return std::get<Error>(m_data); }

private:
    std::variant<T, Error> m_data;
};

/// Success without a value.
struct Done {};
using Status = Result<Done>;

} // namespace ccpm
