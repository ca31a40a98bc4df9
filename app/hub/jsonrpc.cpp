#include "jsonrpc.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcRpc, "ccpm.hub.rpc")

namespace ccpm::jsonrpc {

namespace {
QByteArray serialize(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// A response always has an id (specification section 5): a notification's is undefined, and
// QJsonObject drops a key whose value is undefined, so it becomes null.
QJsonValue responseId(const QJsonValue &id)
{
    return id.isUndefined() ? QJsonValue(QJsonValue::Null) : id;
}
} // namespace

Parsed parse(const QByteArray &frame)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(frame, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // QJsonDocument takes only objects and arrays: valid JSON of another kind (1, "x", null)
        // is not a request (-32600), not unparseable (-32700).
        const QJsonDocument wrapped = QJsonDocument::fromJson("[" + frame + "]");
        if (wrapped.isArray() && wrapped.array().size() == 1)
            return {std::nullopt, error(QJsonValue::Null, InvalidRequest,
                                        QStringLiteral("Invalid Request: a request is a JSON object"))};
        return {std::nullopt, error(QJsonValue::Null, ParseError,
                                    QStringLiteral("Parse error: %1 at offset %2")
                                        .arg(parseError.errorString())
                                        .arg(parseError.offset))};
    }
    if (!doc.isArray() && !doc.isObject())
        return {std::nullopt, error(QJsonValue::Null, InvalidRequest,
                                    QStringLiteral("Invalid Request: a request is a JSON object"))};
    if (doc.isArray())
        return {std::nullopt, error(QJsonValue::Null, InvalidRequest,
                                    QStringLiteral("Invalid Request: batch requests are not supported"))};
    const QJsonObject object = doc.object();
    const QJsonValue id = object.value(QLatin1String("id"));
    // The id we echo must itself be valid; an invalid one is answered with null (spec section 5).
    const bool idValid = id.isUndefined() || id.isString() || id.isDouble() || id.isNull();
    const QJsonValue replyId = idValid && !id.isUndefined() ? id : QJsonValue(QJsonValue::Null);
    if (object.value(QLatin1String("jsonrpc")).toString() != QLatin1String("2.0"))
        return {std::nullopt, error(replyId, InvalidRequest,
                                    QStringLiteral("Invalid Request: \"jsonrpc\" must be \"2.0\""))};
    if (!idValid)
        return {std::nullopt,
                error(QJsonValue::Null, InvalidRequest,
                      QStringLiteral("Invalid Request: \"id\" must be a string, number or null"))};
    const QJsonValue method = object.value(QLatin1String("method"));
    if (!method.isString() || method.toString().isEmpty())
        return {std::nullopt, error(replyId, InvalidRequest,
                                    QStringLiteral("Invalid Request: \"method\" must be a string"))};
    const QJsonValue params = object.value(QLatin1String("params"));
    if (!params.isUndefined() && !params.isObject() && !params.isArray())
        return {std::nullopt,
                error(replyId, InvalidRequest,
                      QStringLiteral("Invalid Request: \"params\" must be an object or an array"))};
    return {Request{id, method.toString(), params}, {}};
}

namespace {

bool storable(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.unicode() == 0)
            return false;
        if (c.isHighSurrogate()) {
            if (i + 1 >= text.size() || !text.at(i + 1).isLowSurrogate())
                return false;
            ++i;
        } else if (c.isLowSurrogate()) {
            return false;
        }
    }
    return true;
}

QString problemIn(const QJsonValue &value, int depthLeft)
{
    if (value.isString())
        return storable(value.toString())
                   ? QString()
                   : QStringLiteral("strings may not contain U+0000 or an unpaired surrogate");
    if (!value.isArray() && !value.isObject())
        return {};
    if (depthLeft <= 0)
        return QStringLiteral("params are nested too deeply");
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray()) {
            if (QString p = problemIn(item, depthLeft - 1); !p.isEmpty())
                return p;
        }
        return {};
    }
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!storable(it.key()))
            return QStringLiteral("keys may not contain U+0000 or an unpaired surrogate");
        if (QString p = problemIn(it.value(), depthLeft - 1); !p.isEmpty())
            return p;
    }
    return {};
}

} // namespace

QString paramsProblem(const QJsonValue &params, int maxDepth)
{
    return problemIn(params, maxDepth);
}

QByteArray result(const QJsonValue &id, const QJsonValue &result)
{
    return serialize(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                                 {QStringLiteral("id"), responseId(id)},
                                 {QStringLiteral("result"), result}});
}

QByteArray databaseError(const QJsonValue &id, const ccpm::Error &error)
{
    qCWarning(lcRpc).noquote() << "database error answered as -32000:" << error.toString();
    if (error.kind == ccpm::Error::Kind::Connection)
        return jsonrpc::error(id, ServerError,
                              QStringLiteral("The database cannot be reached; try again later."),
                              QJsonObject{{QStringLiteral("retryable"), true}});
    return jsonrpc::error(
        id, ServerError, QStringLiteral("The database refused the request (the hub's log has the details)."));
}

QByteArray notification(const QString &method, const QJsonObject &params)
{
    return serialize(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                                 {QStringLiteral("method"), method},
                                 {QStringLiteral("params"), params}});
}

QByteArray error(const QJsonValue &id, int code, const QString &message, const QJsonValue &data)
{
    QJsonObject err{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    if (!data.isUndefined())
        err.insert(QStringLiteral("data"), data);
    return serialize(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                                 {QStringLiteral("id"), responseId(id)},
                                 {QStringLiteral("error"), err}});
}

} // namespace ccpm::jsonrpc
