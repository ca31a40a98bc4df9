#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QUrl>
#include <QWebSocket>

#include <memory>

/// A test agent: a real QWebSocket client that collects every frame and the close code.
/// Thread: the test's.
struct HubClient {
    std::unique_ptr<QWebSocket> socket = std::make_unique<QWebSocket>();
    QList<QJsonObject> replies;       ///< responses (frames without "method"), in order
    QList<QJsonObject> notifications; ///< the hub's notifications (frames with "method"), in order
    QList<QJsonObject> frames;        ///< everything, in order
    int closeCode = -1;

    HubClient()
    {
        QObject::connect(socket.get(), &QWebSocket::textMessageReceived, [this](const QString &m) {
            const QJsonObject frame = QJsonDocument::fromJson(m.toUtf8()).object();
            frames << frame;
            (frame.contains("method") ? notifications : replies) << frame;
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
