#include "agenttokensdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ccpm {

namespace {

QString when(const QDateTime &utc)
{
    return utc.isValid() ? QLocale().toString(utc.toLocalTime(), QLocale::ShortFormat) : QString();
}

} // namespace

AgentTokensDialog::AgentTokensDialog(DbExecutor &executor, ChangeFeed &feed, const Actor &actor,
                                     const AgentRow &agent, QWidget *parent)
    : QDialog(parent)
    , m_executor(&executor)
    , m_feed(&feed)
    , m_actor(actor)
    , m_agent(agent)
    , m_list(new QTreeWidget(this))
    , m_name(new QLineEdit(this))
    , m_issue(new QPushButton(tr("&Issue token"), this))
    , m_revoke(new QPushButton(tr("&Revoke…"), this))
    , m_issuedPanel(new QWidget(this))
    , m_token(new QLineEdit(m_issuedPanel))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Tokens of %1").arg(agent.name));
    m_list->setObjectName(QStringLiteral("tokens"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Name"), tr("Created"), tr("Last used"), tr("Revoked")});
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_name->setObjectName(QStringLiteral("tokenName"));
    m_name->setPlaceholderText(tr("where the token is used, e.g. build-server"));
    m_revoke->setEnabled(false);
    connect(m_list, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem *item) { m_revoke->setEnabled(item && item->text(3).isEmpty()); });
    connect(m_issue, &QPushButton::clicked, this, [this] { issue(m_name->text()); });
    m_issue->setDefault(true); // Return in the name field issues
    connect(m_revoke, &QPushButton::clicked, this, &AgentTokensDialog::revokeSelected);

    // The token, once
    m_token->setObjectName(QStringLiteral("issuedToken"));
    m_token->setReadOnly(true);
    m_token->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *copy = new QPushButton(tr("&Copy"), m_issuedPanel);
    copy->setObjectName(QStringLiteral("copyToken"));
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_token->text()); });
    auto *warning = new QLabel(
        tr("⚠ Copy this token now: it will not be shown again. Only its hash is stored."), m_issuedPanel);
    warning->setObjectName(QStringLiteral("tokenWarning"));
    warning->setStyleSheet(QStringLiteral("color: #8a5a00; font-weight: bold"));
    warning->setWordWrap(true);
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token);
    tokenRow->addWidget(copy);
    auto *panel = new QVBoxLayout(m_issuedPanel);
    panel->setContentsMargins(0, 0, 0, 0);
    panel->addWidget(warning);
    panel->addLayout(tokenRow);
    m_issuedPanel->hide();

    m_error->setObjectName(QStringLiteral("error"));
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->setWordWrap(true);
    m_error->hide();

    auto *issueRow = new QHBoxLayout;
    issueRow->addWidget(new QLabel(tr("New token:"), this));
    issueRow->addWidget(m_name, 1);
    issueRow->addWidget(m_issue);
    issueRow->addWidget(m_revoke);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_list);
    layout->addLayout(issueRow);
    layout->addWidget(m_issuedPanel);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(640, 380);
    m_name->setFocus();
    reload();
}

QString AgentTokensDialog::shownToken() const
{
    return m_issuedPanel->isHidden() ? QString() : m_token->text();
}

int AgentTokensDialog::tokenCount() const
{
    return m_list->topLevelItemCount();
}

QString AgentTokensDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString AgentTokensDialog::tokenIdAt(int row) const
{
    QTreeWidgetItem *item = m_list->topLevelItem(row);
    return item ? item->data(0, Qt::UserRole).toString() : QString();
}

void AgentTokensDialog::showError(const Error &error)
{
    m_error->setText(error.message);
    m_error->show();
}

void AgentTokensDialog::reload()
{
    QCoro::connect(AgentAdmin(*m_executor, *m_feed).tokens(m_actor, m_agent.id), this,
                   [this](Result<QList<AgentTokenRow>> tokens) {
                       if (!tokens) {
                           showError(tokens.error());
                           emit reloaded();
                           return;
                       }
                       m_list->clear();
                       for (const AgentTokenRow &token : *tokens) {
                           auto *item = new QTreeWidgetItem(
                               m_list, {token.name, when(token.createdAt),
                                        token.lastUsedAt.isValid() ? when(token.lastUsedAt) : tr("never"),
                                        when(token.revokedAt)});
                           item->setData(0, Qt::UserRole, token.id);
                           if (token.revokedAt.isValid()) {
                               for (int c = 0; c < 4; ++c)
                                   item->setForeground(c,
                                                       palette().color(QPalette::Disabled, QPalette::Text));
                           }
                       }
                       m_revoke->setEnabled(false);
                       emit reloaded();
                   });
}

void AgentTokensDialog::issue(const QString &name)
{
    // A token on screen stays there until a new one replaces it: a slip must not lose it.
    m_error->hide();
    m_issue->setEnabled(false);
    QCoro::connect(AgentAdmin(*m_executor, *m_feed).issueToken(m_actor, m_agent.id, name), this,
                   [this](Result<AgentTokenRepository::Created> created) {
                       m_issue->setEnabled(true);
                       if (!created) {
                           showError(created.error());
                           emit issued(false);
                           return;
                       }
                       m_name->clear();
                       m_token->setText(created->token);
                       m_issuedPanel->show();
                       m_token->selectAll();
                       m_token->setFocus();
                       reload();
                       emit issued(true);
                   });
}

void AgentTokensDialog::revokeSelected()
{
    QTreeWidgetItem *item = m_list->currentItem();
    if (!item)
        return;
    const auto answer =
        QMessageBox::question(this, tr("Revoke token"),
                              tr("Revoke the token “%1” of %2? Agents using it can no longer connect.")
                                  .arg(item->text(0), m_agent.name),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        revoke(item->data(0, Qt::UserRole).toString());
}

void AgentTokensDialog::revoke(const QString &tokenId)
{
    m_error->hide();
    QCoro::connect(AgentAdmin(*m_executor, *m_feed).revokeToken(m_actor, tokenId), this, [this](Status s) {
        if (!s)
            showError(s.error());
        reload();
        emit revoked(s.ok());
    });
}

} // namespace ccpm
