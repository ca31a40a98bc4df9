#include "desktopapp.h"

#include "authservice.h"
#include "databasewatch.h"
#include "useradmin.h"

#include "firstadmindialog.h"
#include "hub/hubhost.h"
#include "logindialog.h"
#include "mainwindow.h"

#include <QApplication>
#include <QEventLoop>
#include <QMessageBox>
#include <QProgressDialog>
#include <QTimer>

namespace ccpm {

DesktopApp::DesktopApp(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

DesktopApp::~DesktopApp()
{
    m_window.reset();
    m_firstAdmin.reset();
    m_login.reset();
    if (!m_sessionId.isEmpty() && m_core.isOpen()) {
        // Logout: the session row goes with the window. Bounded: quitting never hangs on it.
        QEventLoop loop;
        QTimer::singleShot(2000, &loop, &QEventLoop::quit);
        QCoro::connect(AuthService(m_core.executor()).closeSession(m_sessionId), &loop,
                       [&loop](Status) { loop.quit(); });
        loop.exec();
    }
}

void DesktopApp::start()
{
    run();
}

void DesktopApp::fatal(const QString &title, const Error &error)
{
    m_progress.reset();
    QMessageBox box(QMessageBox::Critical, title, error.message, QMessageBox::Close);
    if (!error.detail.isEmpty())
        box.setInformativeText(error.detail);
    box.exec();
    QCoreApplication::exit(1);
}

QCoro::Task<> DesktopApp::run()
{
    m_progress = std::make_unique<QProgressDialog>(
        m_options.database.source == DatabaseChoice::Source::Embedded ? tr("Starting the embedded database…")
                                                                      : tr("Connecting to the database…"),
        QString(), 0, 0);
    m_progress->setWindowTitle(tr("CCPM Desk"));
    m_progress->setMinimumDuration(300);
    m_progress->setCancelButton(nullptr);

    Result<AppCore::OpenReport> opened = co_await m_core.open(m_options.database, {true, true, true});
    m_progress.reset();
    if (!opened) {
        fatal(tr("Cannot open the database"), opened.error());
        co_return;
    }

    const Result<bool> hasUsers = co_await UserAdmin::hasUsers(m_core.executor());
    if (!hasUsers) {
        fatal(tr("Cannot open the database"), hasUsers.error());
        co_return;
    }
    m_login = std::make_unique<LoginDialog>(m_core.executor(), m_core.databaseLabel());
    connect(m_login.get(), &QDialog::accepted, this, [this] { showMainWindow(m_login->user()); });
    connect(m_login.get(), &QDialog::rejected, qApp, &QApplication::quit);
    if (!*hasUsers) {
        // First start (issue #5): nobody to log in as yet, so create the administrator, then
        // log in as them through the ordinary login.
        m_firstAdmin =
            std::make_unique<FirstAdminDialog>(m_core.executor(), m_core.feed(), m_core.databaseLabel());
        connect(m_firstAdmin.get(), &QDialog::accepted, this, [this] {
            m_login->show();
            m_login->submit(m_firstAdmin->login(), m_firstAdmin->password());
            m_firstAdmin.release()->deleteLater();
        });
        connect(m_firstAdmin.get(), &QDialog::rejected, qApp, &QApplication::quit);
        m_firstAdmin->show();
        co_return;
    }
    m_login->show();
    const QString autoLogin = qEnvironmentVariable("CCPM_DESK_LOGIN");
    if (!autoLogin.isEmpty())
        m_login->submit(autoLogin, qEnvironmentVariable("CCPM_DESK_PASSWORD"));
}

void DesktopApp::openSession(const UserRow &user)
{
    // The desk's working session (issue #5): a "sessions" row for as long as the window is open;
    // when an administrator revokes it or it expires, the password is asked again.
    m_user = user;
    if (!m_sessionWatch) {
        m_sessionWatch = std::make_unique<SessionWatch>(m_core.executor());
        connect(m_sessionWatch.get(), &SessionWatch::ended, this, &DesktopApp::askPasswordAgain);
    }
    QCoro::connect(AuthService(m_core.executor()).openSession(user.id), this,
                   [this](Result<AuthService::Session> session) {
                       if (!session) {
                           qWarning().noquote() << "no session row:" << session.error().toString();
                           return;
                       }
                       m_sessionId = session->id;
                       m_sessionWatch->watch(m_sessionId);
                       // The Sessions tab (and other views) show it at once.
                       m_core.feed().publish(QStringLiteral("sessions"), m_sessionId, ChangeFeed::Op::Insert,
                                             QStringLiteral("desk"));
                   });
}

void DesktopApp::askPasswordAgain()
{
    m_sessionId.clear();
    auto *again = new LoginDialog(m_core.executor(), m_core.databaseLabel(), m_window.get());
    again->setAttribute(Qt::WA_DeleteOnClose);
    again->setWindowTitle(tr("Session ended — log in again"));
    again->setWindowModality(Qt::WindowModal);
    again->askAgain(tr("Your session has ended (an administrator revoked it, or it expired). Enter your "
                       "password to go on; nothing you staged is lost."),
                    m_user.username);
    connect(again, &QDialog::accepted, this, [this, again] {
        if (again->user().id != m_user.id) {
            QMessageBox::warning(
                m_window.get(), tr("Another user"),
                tr("This window belongs to %1. Log in as %1 to go on, or quit.").arg(m_user.username));
            askPasswordAgain();
            return;
        }
        openSession(m_user);
    });
    connect(again, &QDialog::rejected, qApp, &QApplication::quit);
    again->open();
}

void DesktopApp::showMainWindow(const UserRow &user)
{
    openSession(user);
    m_window = std::make_unique<MainWindow>(m_core.executor(), m_core.feed(), m_core.settings(),
                                            m_core.databaseLabel(), user);
    m_window->showTab(MainWindow::Tab(m_options.screenshotTab));
    m_window->setHubStatus(m_hubStatus); // the status bar and Help > Health follow it
    if (const ChangeListener *listener = m_core.listener())
        m_window->databaseWatch()->retryWhenListening(*listener);
    QString hubError;
    if (m_options.hubPort > 0) {
        QHostAddress address;
        address.setAddress(m_options.hubAddress);
        if (Status s = m_core.startHub(address, quint16(m_options.hubPort), m_options.hubSettings); !s) {
            m_hubStatus.setOff(s.error().message);
            hubError = s.error().message + QLatin1Char('\n') + s.error().detail;
        } else {
            hub::HubHost *hub = m_core.hub();
            m_hubStatus.setRunning(hub->url(), 0);
            connect(hub, &hub::HubHost::connectedAgentsChanged, &m_hubStatus,
                    [this, hub](int count) { m_hubStatus.setRunning(hub->url(), count); });
            // Connected to the hub, shown apart from the status the agent reported
            connect(hub, &hub::HubHost::agentPresenceChanged, &m_presence, &AgentPresence::setConnected);
            m_window->setAgentPresence(m_presence);
        }
    }
    m_window->show();
    m_login.release()->deleteLater();
    if (!hubError.isEmpty() && m_options.screenshotPath.isEmpty()) {
        // Not modal: the tables work without the hub, and nothing may wait on this box.
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Agent hub not started"), hubError,
                                    QMessageBox::Ok, m_window.get());
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    if (!m_options.screenshotPath.isEmpty()) {
        // Give the models and the status bar a moment to load, then grab.
        QTimer::singleShot(1500, this, &DesktopApp::takeScreenshot);
    }
}

void DesktopApp::takeScreenshot()
{
    const bool saved = m_window->grab().save(m_options.screenshotPath, "PNG");
    qInfo("screenshot %s: %s", saved ? "saved" : "FAILED", qPrintable(m_options.screenshotPath));
    QCoreApplication::exit(saved ? 0 : 1);
}

} // namespace ccpm
