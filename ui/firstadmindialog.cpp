#include "firstadmindialog.h"

#include "useradmin.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ccpm {

FirstAdminDialog::FirstAdminDialog(DbExecutor &executor, ChangeFeed &feed, const QString &databaseName,
                                   QWidget *parent)
    : QDialog(parent)
    , m_executor(&executor)
    , m_feed(&feed)
{
    setWindowTitle(tr("Create the first administrator"));
    auto *intro =
        new QLabel(tr("<b>Welcome to CCPM Desk.</b><br>The database %1 has no users yet. Create the "
                      "administrator who will add the others; you are logged in as them next.")
                       .arg(databaseName.toHtmlEscaped()),
                   this);
    intro->setWordWrap(true);

    auto *form = new QFormLayout;
    const QList<std::pair<QString, QString>> fields{{QStringLiteral("username"), tr("&Username:")},
                                                    {QStringLiteral("email"), tr("&E-mail:")},
                                                    {QStringLiteral("password"), tr("&Password:")},
                                                    {QStringLiteral("confirm"), tr("&Confirm:")}};
    for (const auto &[name, label] : fields) {
        auto *edit = new QLineEdit(this);
        edit->setObjectName(name);
        auto *error = new QLabel(this);
        error->setObjectName(name + QStringLiteral("Error"));
        error->setStyleSheet(QStringLiteral("color: #b00020"));
        error->setWordWrap(true);
        error->hide();
        auto *column = new QVBoxLayout;
        column->setSpacing(2);
        column->addWidget(edit);
        column->addWidget(error);
        auto *caption = new QLabel(label, this);
        caption->setBuddy(edit);
        form->addRow(caption, column);
        m_fields.insert(name, edit);
        m_errors.insert(name, error);
    }
    m_fields.value(QStringLiteral("password"))->setEchoMode(QLineEdit::Password);
    m_fields.value(QStringLiteral("password"))
        ->setPlaceholderText(tr("at least %1 characters").arg(UserAdmin::kMinPasswordLength));
    m_fields.value(QStringLiteral("confirm"))->setEchoMode(QLineEdit::Password);
    auto *general = new QLabel(this);
    general->setObjectName(QStringLiteral("generalError"));
    general->setStyleSheet(QStringLiteral("color: #b00020"));
    general->setWordWrap(true);
    general->hide();
    m_errors.insert(QStringLiteral("general"), general);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_create = buttons->addButton(tr("Create administrator"), QDialogButtonBox::AcceptRole);
    m_create->setDefault(true);
    connect(m_create, &QPushButton::clicked, this, &FirstAdminDialog::create);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(general);
    layout->addWidget(buttons);
    setMinimumWidth(440);
}

QString FirstAdminDialog::login() const
{
    return m_fields.value(QStringLiteral("username"))->text().trimmed();
}

QString FirstAdminDialog::password() const
{
    return m_fields.value(QStringLiteral("password"))->text();
}

QString FirstAdminDialog::fieldError(const QString &field) const
{
    QLabel *label = m_errors.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

void FirstAdminDialog::submit(const QString &username, const QString &email, const QString &password,
                              const QString &confirm)
{
    m_fields.value(QStringLiteral("username"))->setText(username);
    m_fields.value(QStringLiteral("email"))->setText(email);
    m_fields.value(QStringLiteral("password"))->setText(password);
    m_fields.value(QStringLiteral("confirm"))->setText(confirm);
    create();
}

void FirstAdminDialog::showError(const QString &field, const QString &message)
{
    QLabel *label = m_errors.value(field, m_errors.value(QStringLiteral("general")));
    label->setText(message);
    label->show();
    adjustSize(); // room for the message's lines
    if (QLineEdit *edit = m_fields.value(field))
        edit->setFocus();
    emit submitted(false);
}

void FirstAdminDialog::create()
{
    for (QLabel *label : std::as_const(m_errors))
        label->hide();
    if (password().size() < UserAdmin::kMinPasswordLength)
        return showError(QStringLiteral("password"),
                         tr("A password needs at least %1 characters.").arg(UserAdmin::kMinPasswordLength));
    if (m_fields.value(QStringLiteral("confirm"))->text() != password())
        return showError(QStringLiteral("confirm"), tr("The two passwords differ."));
    m_create->setEnabled(false);
    m_create->setText(tr("Creating…"));
    QCoro::connect(UserAdmin::createFirstAdmin(*m_executor, *m_feed, login(),
                                               m_fields.value(QStringLiteral("email"))->text().trimmed(),
                                               password()),
                   this, [this](Result<UserRow> r) {
                       m_create->setEnabled(true);
                       m_create->setText(tr("Create administrator"));
                       if (!r)
                           return showError(r.error().detail, r.error().message);
                       m_user = *r;
                       emit submitted(true);
                       accept();
                   });
}

} // namespace ccpm
