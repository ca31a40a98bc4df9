#include "logindialog.h"

#include "authservice.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ccpm {

LoginDialog::LoginDialog(DbExecutor &executor, const QString &databaseName, QWidget *parent)
    : QDialog(parent)
    , m_executor(&executor)
    , m_login(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_message(new QLabel(this))
{
    setWindowTitle(tr("Log in to CCPM Desk"));
    m_login->setPlaceholderText(tr("username or e-mail"));
    m_login->setObjectName(QStringLiteral("login"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setObjectName(QStringLiteral("password"));
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setStyleSheet(QStringLiteral("color: #b00020"));
    m_message->setWordWrap(true);
    m_message->hide();

    auto *database = new QLabel(tr("Database: %1").arg(databaseName), this);
    database->setStyleSheet(QStringLiteral("color: palette(mid)"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Username:"), m_login);
    form->addRow(tr("&Password:"), m_password);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_submit = buttons->addButton(tr("Log in"), QDialogButtonBox::AcceptRole);
    m_submit->setDefault(true);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_submit, &QPushButton::clicked, this, &LoginDialog::tryLogin);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(database);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    setMinimumWidth(360);
}

void LoginDialog::submit(const QString &login, const QString &password)
{
    m_login->setText(login);
    m_password->setText(password);
    tryLogin();
}

void LoginDialog::setBusy(bool busy)
{
    m_submit->setEnabled(!busy);
    m_login->setEnabled(!busy);
    m_password->setEnabled(!busy);
    m_submit->setText(busy ? tr("Checking…") : tr("Log in"));
}

void LoginDialog::askAgain(const QString &reason, const QString &login)
{
    m_message->setText(reason);
    m_message->show();
    m_login->setText(login);
    m_password->setFocus();
}

void LoginDialog::tryLogin()
{
    if (m_login->text().trimmed().isEmpty() || m_password->text().isEmpty()) {
        m_message->setText(tr("Enter a username and a password."));
        m_message->show();
        return;
    }
    setBusy(true);
    m_message->hide();
    QCoro::connect(AuthService(*m_executor).login(m_login->text(), m_password->text()), this,
                   [this](Result<UserRow> result) {
                       setBusy(false);
                       if (!result) {
                           const bool locked = result.error().detail == QLatin1String("locked");
                           const QString message =
                               locked
                                   ? tr("Too many failed attempts for this username: try again in a minute.")
                               : result.error().kind == Error::Kind::Auth ? tr("Invalid username or password")
                                                                          : result.error().message;
                           m_message->setText(message);
                           m_message->show();
                           m_password->selectAll();
                           m_password->setFocus();
                           emit attemptFinished(false, message);
                           return;
                       }
                       m_user = *result;
                       emit attemptFinished(true, {});
                       accept();
                   });
}

} // namespace ccpm
