#include "userdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ccpm {

namespace {

QLabel *errorLabel(QWidget *parent, const QString &name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name + QStringLiteral("Error"));
    label->setStyleSheet(QStringLiteral("color: #b00020"));
    label->setWordWrap(true);
    label->hide();
    return label;
}

} // namespace

UserDialog::UserDialog(DbExecutor &executor, ChangeFeed &feed, const Actor &actor, Mode mode,
                       const UserRow &user, QWidget *parent)
    : QDialog(parent)
    , m_executor(&executor)
    , m_feed(&feed)
    , m_actor(actor)
    , m_mode(mode)
    , m_user(user)
    , m_general(errorLabel(this, QStringLiteral("general")))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    auto *form = new QFormLayout;
    if (mode != Mode::ResetPassword) {
        addField(form, QStringLiteral("username"), tr("&Username:"))->setText(user.username);
        addField(form, QStringLiteral("email"), tr("&E-mail:"))->setText(user.email);
        m_role = new QComboBox(this);
        m_role->setObjectName(QStringLiteral("role"));
        m_role->addItem(tr("User (manager)"), QVariant::fromValue(int(Role::User)));
        m_role->addItem(tr("Administrator"), QVariant::fromValue(int(Role::Admin)));
        m_role->setCurrentIndex(user.role == Role::Admin ? 1 : 0);
        form->addRow(tr("&Role:"), m_role);
    }
    if (mode != Mode::Edit) {
        QLineEdit *password = addField(form, QStringLiteral("password"),
                                       mode == Mode::Create ? tr("&Password:") : tr("New &password:"));
        password->setEchoMode(QLineEdit::Password);
        password->setPlaceholderText(tr("at least %1 characters").arg(UserAdmin::kMinPasswordLength));
        addField(form, QStringLiteral("confirm"), tr("&Confirm:"))->setEchoMode(QLineEdit::Password);
    }

    switch (mode) {
    case Mode::Create:
        setWindowTitle(tr("New user"));
        break;
    case Mode::Edit:
        setWindowTitle(tr("Edit user %1").arg(user.username));
        {
            QPushButton *reset = m_buttons->addButton(tr("Reset &password…"), QDialogButtonBox::ResetRole);
            reset->setObjectName(QStringLiteral("resetPassword"));
            reset->setAutoDefault(false); // Return saves, it never opens the reset
            connect(reset, &QPushButton::clicked, this, &UserDialog::resetPasswordRequested);
        }
        break;
    case Mode::ResetPassword:
        setWindowTitle(tr("Reset the password of %1").arg(user.username));
        break;
    }
    m_save = m_buttons->addButton(mode == Mode::ResetPassword ? tr("Set password") : tr("Save"),
                                  QDialogButtonBox::AcceptRole);
    m_save->setDefault(true);
    connect(m_save, &QPushButton::clicked, this, &UserDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    if (mode == Mode::ResetPassword) {
        auto *note =
            new QLabel(tr("Setting a new password also ends all of %1's sessions.").arg(user.username), this);
        note->setWordWrap(true);
        layout->addWidget(note);
    }
    layout->addLayout(form);
    layout->addWidget(m_general);
    layout->addWidget(m_buttons);
    setMinimumWidth(420);
    if (QLineEdit *first = m_fields.value(mode == Mode::ResetPassword ? QStringLiteral("password")
                                                                      : QStringLiteral("username")))
        first->setFocus();
}

QLineEdit *UserDialog::addField(QFormLayout *form, const QString &name, const QString &label)
{
    auto *edit = new QLineEdit(this);
    edit->setObjectName(name);
    QLabel *error = errorLabel(this, name);
    auto *column = new QVBoxLayout;
    column->setSpacing(2);
    column->addWidget(edit);
    column->addWidget(error);
    auto *caption = new QLabel(label, this);
    caption->setBuddy(edit);
    form->addRow(caption, column);
    m_fields.insert(name, edit);
    m_errors.insert(name, error);
    return edit;
}

QString UserDialog::fieldError(const QString &field) const
{
    QLabel *label = m_errors.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

QString UserDialog::generalError() const
{
    return m_general->isHidden() ? QString() : m_general->text();
}

void UserDialog::fill(const QString &username, const QString &email, Role role, const QString &password,
                      const QString &confirm)
{
    if (QLineEdit *e = m_fields.value(QStringLiteral("username")))
        e->setText(username);
    if (QLineEdit *e = m_fields.value(QStringLiteral("email")))
        e->setText(email);
    if (m_role)
        m_role->setCurrentIndex(role == Role::Admin ? 1 : 0);
    if (QLineEdit *e = m_fields.value(QStringLiteral("password")))
        e->setText(password);
    if (QLineEdit *e = m_fields.value(QStringLiteral("confirm")))
        e->setText(confirm);
}

void UserDialog::clearErrors()
{
    for (QLabel *label : std::as_const(m_errors))
        label->hide();
    m_general->hide();
}

void UserDialog::showError(const Error &error)
{
    QLabel *at = m_errors.value(error.detail);
    if (!at)
        at = m_general;
    at->setText(error.message);
    at->show();
    adjustSize(); // room for the message's lines
    if (QLineEdit *field = m_fields.value(error.detail)) {
        field->setFocus();
        field->selectAll();
    }
}

void UserDialog::finish(bool ok)
{
    m_save->setEnabled(true);
    emit submitted(ok);
    if (ok)
        accept();
}

void UserDialog::submit()
{
    clearErrors();
    const QString username = m_fields.contains(QStringLiteral("username"))
                                 ? m_fields.value(QStringLiteral("username"))->text().trimmed()
                                 : m_user.username;
    const QString email = m_fields.contains(QStringLiteral("email"))
                              ? m_fields.value(QStringLiteral("email"))->text().trimmed()
                              : m_user.email;
    const Role role = m_role ? Role(m_role->currentData().toInt()) : m_user.role;
    QString password;
    if (m_mode != Mode::Edit) {
        password = m_fields.value(QStringLiteral("password"))->text();
        if (Status s = UserAdmin::checkPassword(password); !s) {
            showError(Error{s.error().kind,
                            tr("A password needs at least %1 characters.").arg(UserAdmin::kMinPasswordLength),
                            QStringLiteral("password"),
                            {}});
            emit submitted(false);
            return;
        }
        if (m_fields.value(QStringLiteral("confirm"))->text() != password) {
            showError(
                Error{Error::Kind::Invalid, tr("The two passwords differ."), QStringLiteral("confirm"), {}});
            emit submitted(false);
            return;
        }
    }
    m_save->setEnabled(false);
    UserAdmin admin(*m_executor, *m_feed);
    if (m_mode == Mode::ResetPassword) {
        QCoro::connect(admin.resetPassword(m_actor, m_user.id, password), this, [this](Status s) {
            if (!s)
                showError(s.error());
            finish(s.ok());
        });
        return;
    }
    auto done = [this](Result<UserRow> r) {
        if (!r) {
            showError(r.error());
        } else {
            m_saved = *r;
        }
        finish(r.ok());
    };
    if (m_mode == Mode::Create)
        QCoro::connect(admin.create(m_actor, username, email, role, password), this, done);
    else
        QCoro::connect(admin.update(m_actor, m_user.id, username, email, role, m_user.updatedAt), this, done);
}

} // namespace ccpm
