#include "jsonrpc.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ccpm::jsonrpc {

namespace {
QByteArray serialize(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
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

QByteArray result(const QJsonValue &id, const QJsonValue &result)
{
    return serialize(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                                 {QStringLiteral("id"), id},
                                 {QStringLiteral("result"), result}});
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
                                 {QStringLiteral("id"), id},
                                 {QStringLiteral("error"), err}});
}

} // namespace ccpm::jsonrpc
