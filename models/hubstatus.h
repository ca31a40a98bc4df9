#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

namespace ccpm {

/// The agent hub as the GUI shows it (status bar, Health dialog): its address and how many
/// agents are connected, or why it is off. Fed by whoever runs the hub (the app); read by ui/,
/// which does not know the hub itself. Thread: GUI.
class HubStatus : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    bool isRunning() const { return m_running; }
    QUrl url() const { return m_url; }
    int connections() const { return m_connections; }
    /// Why the hub is off (empty when it was turned off, or runs).
    QString offReason() const { return m_offReason; }

public slots:
    void setRunning(const QUrl &url, int connections);
    void setOff(const QString &reason = {});

signals:
    void changed();

private:
    bool m_running = false;
    QUrl m_url;
    int m_connections = 0;
    QString m_offReason;
};

} // namespace ccpm
