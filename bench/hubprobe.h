#pragma once
// bench_hub's probe agent: send → dataChanged through the hub and the agents model.
// Thread: the main (GUI) thread, where the model lives.

#include "pagedtablemodel.h"
#include "waituntil.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QTimer>
#include <QWebSocket>

#include <vector>

namespace ccpm::bench {

/// An agent in the main thread that sets its status every 100 ms and times the reply and the
/// agents model's dataChanged for its row carrying that status. One update at a time: the next
/// goes on the first tick after the last one showed (or after 10 s, counted as missed).
class Probe : public QObject {
public:
    Probe(PagedTableModel &agents, int row, int statusColumn)
        : m_model(agents)
        , m_row(row)
        , m_column(statusColumn)
    {
        connect(&m_socket, &QWebSocket::textMessageReceived, this, &Probe::onReply);
        connect(&m_model, &QAbstractItemModel::dataChanged, this, &Probe::onDataChanged);
        connect(&m_ticker, &QTimer::timeout, this, &Probe::tick);
        m_clock.start();
    }
    bool open(const QUrl &url, const QString &token)
    {
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        connect(&m_socket, &QWebSocket::connected, this, [this] { m_connected = true; });
        m_socket.open(request);
        return waitUntil([this] { return m_connected; }, 10000);
    }
    void start() { m_ticker.start(100); }
    void stop()
    {
        m_ticker.stop();
        m_socket.close();
    }
    const std::vector<double> &replyMs() const { return m_replyMs; }
    const std::vector<double> &changedMs() const { return m_changedMs; }
    int sent() const { return m_sent; }
    /// Forgets the figures so far (a measurement window starts); an update in flight still counts.
    void reset()
    {
        m_replyMs.clear();
        m_changedMs.clear();
        m_missed = 0;
        m_errors = 0;
    }
    int missed() const { return m_missed; }
    int errors() const { return m_errors; }

private:
    void tick()
    {
        if (m_pending && m_clock.nsecsElapsed() - m_sentNs > 10'000'000'000LL) {
            ++m_missed;
            m_pending = false;
        }
        if (m_pending)
            return;
        m_expected = m_expected == QLatin1String("BUSY") ? QStringLiteral("ACTIVE") : QStringLiteral("BUSY");
        const QJsonObject request{{"jsonrpc", "2.0"},
                                  {"id", ++m_sent},
                                  {"method", "agent.setStatus"},
                                  {"params", QJsonObject{{"status", m_expected}}}};
        m_pending = true;
        m_replied = false;
        m_sentNs = m_clock.nsecsElapsed();
        m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(request).toJson(QJsonDocument::Compact)));
    }
    void onReply(const QString &text)
    {
        const QJsonObject reply = QJsonDocument::fromJson(text.toUtf8()).object();
        if (!reply.contains("id") || reply.value("id").toInt() != m_sent || m_replied)
            return; // a notification, or a reply to an update given up on
        m_replied = true;
        m_replyMs.push_back(double(m_clock.nsecsElapsed() - m_sentNs) / 1e6);
        if (!reply.contains("result"))
            ++m_errors;
    }
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight)
    {
        if (!m_pending || m_row < topLeft.row() || m_row > bottomRight.row())
            return;
        if (m_model.data(m_model.index(m_row, m_column), PagedTableModel::RawValueRole).toString() !=
            m_expected)
            return;
        m_changedMs.push_back(double(m_clock.nsecsElapsed() - m_sentNs) / 1e6);
        m_pending = false;
    }

    PagedTableModel &m_model;
    int m_row;
    int m_column;
    QWebSocket m_socket;
    QTimer m_ticker;
    QElapsedTimer m_clock;
    QString m_expected = QStringLiteral("ACTIVE");
    qint64 m_sentNs = 0;
    bool m_connected = false;
    bool m_pending = false;
    bool m_replied = false;
    int m_sent = 0, m_missed = 0, m_errors = 0;
    std::vector<double> m_replyMs, m_changedMs;
};

} // namespace ccpm::bench
