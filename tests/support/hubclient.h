#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QTest>
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
    int nextRequestId = 1'000'000; ///< request()'s ids, apart from the ones tests pass to call()

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
    /// Calls and waits (at most 5 s) for the reply; an empty object when none came.
    QJsonObject request(const QString &method, const QJsonObject &params)
    {
        const int id = ++nextRequestId;
        call(id, method, params);
        for (int i = 0; i < 1000 && reply(id).isEmpty(); ++i)
            QTest::qWait(5);
        return reply(id);
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
