#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QUrl>
#include <QWebSocket>

#include <memory>

/// A test agent: a real QWebSocket client that collects every reply and the close code.
/// Thread: the test's.
struct HubClient {
    std::unique_ptr<QWebSocket> socket = std::make_unique<QWebSocket>();
    QList<QJsonObject> replies;
    int closeCode = -1;

    HubClient()
    {
        QObject::connect(socket.get(), &QWebSocket::textMessageReceived, [this](const QString &m) {
            replies << QJsonDocument::fromJson(m.toUtf8()).object();
        });
        QObject::connect(socket.get(), &QWebSocket::disconnected,
                         [this] { closeCode = int(socket->closeCode()); });
    }

    void open(const QUrl &url, const QString &token)
    {
        QNetworkRequest request(url);
        if (!token.isNull())
            request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        socket->open(request);
    }

    void send(const QByteArray &frame) { socket->sendTextMessage(QString::fromUtf8(frame)); }
    void call(int id, const QString &method, const QJsonObject &params)
    {
        send(
            QJsonDocument(QJsonObject{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}})
                .toJson(QJsonDocument::Compact));
    }
    /// The reply with this id, or an empty object.
    QJsonObject reply(int id) const
    {
        for (const QJsonObject &r : replies) {
            if (r.value("id").toInt(-1) == id)
                return r;
        }
        return {};
    }
};
