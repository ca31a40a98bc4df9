#pragma once

#include "agentpresence.h"
#include "appcore.h"
#include "hub/hubsettings.h"
#include "hubstatus.h"
#include "rows.h"
#include "sessionwatch.h"

#include <QObject>
#include <QPointer>

#include <memory>

class QProgressDialog;

namespace ccpm {

class FirstAdminDialog;
class LoginDialog;
class MainWindow;

/// The desktop start-up sequence: open the database (a progress dialog while the embedded
/// cluster starts and migrations run), create the first administrator when the database has no
/// users (FirstAdminDialog), log in, show the main window, start the hub and keep the status
/// bar's hub field current. Errors end in a message box that names what to do.
/// Thread: GUI.
class DesktopApp : public QObject {
    Q_OBJECT
public:
    struct Options {
        DatabaseChoice database;
        int hubPort = 8765;
        QString hubAddress = QStringLiteral("127.0.0.1");
        hub::HubSettings hubSettings;
        QString screenshotPath; ///< grab the main window to this PNG once loaded, then quit
        int screenshotTab = 5;  ///< MainWindow::Tab shown first (and in the screenshot): the Dashboard
    };

    explicit DesktopApp(Options options, QObject *parent = nullptr);
    ~DesktopApp() override;

    void start();

private:
    QCoro::Task<> run();
    void showMainWindow(const UserRow &user);
    void openSession(const UserRow &user);
    /// The session was revoked or expired: the password again, over the window (edits stay).
    void askPasswordAgain();
    void takeScreenshot();
    void fatal(const QString &title, const Error &error);

    Options m_options;
    AppCore m_core;
    AgentPresence m_presence; ///< fed by the hub; outlives the window
    HubStatus m_hubStatus;    ///< the hub's address and connections, for the window
    QString m_sessionId;      ///< this desk's "sessions" row, deleted at exit
    std::unique_ptr<SessionWatch> m_sessionWatch;
    UserRow m_user;
    std::unique_ptr<QProgressDialog> m_progress;
    std::unique_ptr<FirstAdminDialog> m_firstAdmin; ///< only on a database without users
    std::unique_ptr<LoginDialog> m_login;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace ccpm
