#pragma once

#include "changefeed.h"
#include "changelistener.h"
#include "databaselocator.h"
#include "dbexecutor.h"
#include "hub/hubsettings.h"
#include "migrator.h"

#include <QHostAddress>
#include <QObject>

#include <QCoro/QCoroTask>

#include <memory>

namespace ccpm {

class EmbeddedPostgres;
namespace hub {
class HubHost;
}

/// The application without its windows: the chosen database (starting the embedded cluster when
/// that is the choice), the database executor, the change feed and the agent hub. The GUI, the
/// command line and the integration tests all build on it, so they run the same start-up.
/// Once open, a ChangeListener follows what other desks and the backend change (LISTEN/NOTIFY)
/// and publishes it on the feed; this core's own connections carry a random change origin so
/// that its own writes are not published twice.
/// Thread: create, use and destroy in one thread with an event loop (the GUI thread in the app).
class AppCore : public QObject {
    Q_OBJECT
public:
    struct OpenOptions {
        bool migrate = true;            ///< apply pending migrations
        bool seedDemoWhenEmpty = false; ///< write the demo data into an empty embedded database
        bool listen = true;             ///< start the ChangeListener (one-shot commands need none)
    };
    struct OpenReport {
        Migrator::Report migrations;
        bool seededDemo = false;
    };

    explicit AppCore(QObject *parent = nullptr);
    ~AppCore() override;

    /// Opens the database of `choice`. For the embedded default this starts (or joins) the
    /// cluster off the calling thread first. Errors are readable and never name the password.
    QCoro::Task<Result<OpenReport>> open(DatabaseChoice choice, OpenOptions options);

    /// Starts the agent hub on its own thread; port 0 picks a free port.
    Status startHub(const QHostAddress &address, quint16 port, const hub::HubSettings &settings = {});
    void stopHub();

    bool isOpen() const { return m_executor != nullptr; }
    DbExecutor &executor() { return *m_executor; }
    ChangeFeed &feed() { return m_feed; }
    const ConnectionSettings &settings() const { return m_settings; }
    DatabaseChoice::Source source() const { return m_source; }
    /// The database as people call it: "embedded database (ccpm)" or the settings' display name.
    QString databaseLabel() const;
    hub::HubHost *hub() const { return m_hub.get(); }
    /// The listener started by open(); nullptr before.
    ChangeListener *listener() const { return m_listener.get(); }
    /// How the listener pings and reconnects; takes effect at the next open().
    void setListenerTuning(ChangeListener::Tuning tuning) { m_listenerTuning = tuning; }

private:
    ChangeFeed m_feed;
    ConnectionSettings m_settings;
    DatabaseChoice::Source m_source = DatabaseChoice::Source::Embedded;
    std::unique_ptr<EmbeddedPostgres> m_embedded;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<ChangeListener> m_listener;
    ChangeListener::Tuning m_listenerTuning;
    std::unique_ptr<hub::HubHost> m_hub;
};

} // namespace ccpm
