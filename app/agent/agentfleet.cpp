#include "agent/agentfleet.h"

#include <QRandomGenerator>

namespace ccpm::agent {

AgentFleet::AgentFleet(Settings settings, const QStringList &tokens, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_settled(std::size_t(tokens.size()), 0)
    , m_chattering(std::size_t(tokens.size()), 0)
    , m_chatterOpen(!m_settings.connectFirst)
{
    m_clients.reserve(std::size_t(tokens.size()));
    for (int i = 0; i < tokens.size(); ++i) {
        AgentClient::Settings agent = m_settings.agent;
        agent.token = tokens.at(i);
        auto client = std::make_unique<AgentClient>(agent, &m_stats);
        AgentClient *c = client.get();
        connect(c, &AgentClient::stateChanged, this, [this, i](AgentClient::State state) {
            if (state == AgentClient::State::Online || state == AgentClient::State::Waiting ||
                state == AgentClient::State::Stopped)
                onSettled(i);
        });
        connect(c, &AgentClient::stopped, this, &AgentFleet::onStopped);
        if (m_settings.chatterMs > 0) {
            connect(c, &AgentClient::connected, this, [this, i] {
                if (m_chatterOpen)
                    startChatter(i);
            });
        }
        m_clients.push_back(std::move(client));
    }
    if (m_settings.chatterMs > 0) {
        m_wheel.resize(std::size_t(m_settings.chatterMs * 12 / 10 / kTickMs + 3));
        m_ticker.setInterval(kTickMs);
        connect(&m_ticker, &QTimer::timeout, this, &AgentFleet::onTick);
    }
}

AgentFleet::~AgentFleet() = default;

void AgentFleet::start()
{
    if (m_settings.chatterMs > 0) { // the wheel turns from the start; it is empty until then
        m_clock.start();
        m_ticker.start();
    }
    if (m_clients.empty()) {
        finish();
        return;
    }
    openNextBatch();
}

void AgentFleet::openNextBatch()
{
    const int end = std::min(size(), m_nextToOpen + std::max(1, m_settings.connectBatch));
    m_unsettled = end - m_nextToOpen;
    while (m_nextToOpen < end && !m_stopping)
        m_clients[std::size_t(m_nextToOpen++)]->start();
}

void AgentFleet::onSettled(int index)
{
    if (m_settled[std::size_t(index)])
        return;
    m_settled[std::size_t(index)] = 1;
    if (--m_unsettled == 0 && !m_stopping && m_nextToOpen < size())
        openNextBatch();
    if (++m_settledCount < size() || m_stopping)
        return;
    if (!m_chatterOpen) {
        // The load starts now, with the figures of the ramp left behind.
        m_chatterOpen = true;
        m_stats.resetTraffic();
        for (int i = 0; i < size(); ++i) {
            if (m_clients[std::size_t(i)]->state() == AgentClient::State::Online)
                startChatter(i);
        }
    }
    emit allConnected();
}

void AgentFleet::startChatter(int index)
{
    if (m_settings.chatterMs <= 0 || m_chattering[std::size_t(index)])
        return;
    m_chattering[std::size_t(index)] = 1; // spread the first updates over one period
    schedule(index, int(QRandomGenerator::global()->bounded(m_settings.chatterMs + 1)));
}

void AgentFleet::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_ticker.stop();
    for (const auto &client : m_clients)
        client->stop();
    QTimer::singleShot(m_settings.stopTimeoutMs, this, &AgentFleet::finish);
}

void AgentFleet::onStopped()
{
    if (++m_stopped == size())
        finish();
}

void AgentFleet::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_ticker.stop();
    emit allStopped();
}

void AgentFleet::schedule(int index, int delayMs)
{
    const qint64 ticks = std::max<qint64>(1, (delayMs + kTickMs / 2) / kTickMs);
    m_wheel[std::size_t((m_tick + ticks) % qint64(m_wheel.size()))].push_back(index);
}

void AgentFleet::onTick()
{
    // Catch up with the clock, so a late timer does not stretch the period.
    const qint64 now = m_clock.elapsed() / kTickMs;
    while (m_tick < now) {
        ++m_tick;
        std::vector<int> due = std::exchange(m_wheel[std::size_t(m_tick % qint64(m_wheel.size()))], {});
        for (int index : due) {
            m_clients[std::size_t(index)]->chatter();
            const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
            schedule(index, int(m_settings.chatterMs * jitter));
        }
    }
}

} // namespace ccpm::agent
