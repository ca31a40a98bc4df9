#include "agentdialog.h"

#include "displayformat.h"
#include "sqlvalues.h"

#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStringListModel>
#include <QVBoxLayout>

namespace ccpm {

namespace {

QLabel *errorLabel(QWidget *parent, const QString &name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setStyleSheet(QStringLiteral("color: #b00020"));
    label->setWordWrap(true);
    label->hide();
    return label;
}

// A row caption whose mnemonic focuses `buddy` (QFormLayout only does that for a widget field).
QLabel *buddyLabel(const QString &text, QWidget *buddy)
{
    auto *label = new QLabel(text, buddy->parentWidget());
    label->setBuddy(buddy);
    return label;
}

template <typename E>
void fillEnum(QComboBox *box, E current)
{
    for (const QString &value : enumLabels<E>()) {
        const E e = fromDb<E>(value).value_or(current);
        box->addItem(display::label(e), value); // shown translated, stored as the database's label
    }
    box->setCurrentIndex(box->findData(toDb(current)));
}

} // namespace

AgentDialog::AgentDialog(DbExecutor &executor, ChangeFeed &feed, const Actor &actor, const AgentRow &agent,
                         QWidget *parent)
    : QDialog(parent)
    , m_executor(&executor)
    , m_feed(&feed)
    , m_actor(actor)
    , m_agent(agent)
    , m_name(new QLineEdit(agent.name, this))
    , m_nameError(errorLabel(this, QStringLiteral("nameError")))
    , m_type(new QComboBox(this))
    , m_status(new QComboBox(this))
    , m_capabilities(new QListWidget(this))
    , m_newCapability(new QLineEdit(this))
    , m_metadata(new QPlainTextEdit(this))
    , m_metadataError(errorLabel(this, QStringLiteral("metadataError")))
    , m_general(errorLabel(this, QStringLiteral("generalError")))
{
    setWindowTitle(agent.id.isEmpty() ? tr("New agent") : tr("Edit agent %1").arg(agent.name));
    m_name->setObjectName(QStringLiteral("name"));
    fillEnum(m_type, agent.type);
    fillEnum(m_status, agent.status);

    m_capabilities->setObjectName(QStringLiteral("capabilities"));
    m_capabilities->setFlow(QListView::LeftToRight);
    m_capabilities->setWrapping(true);
    m_capabilities->setMaximumHeight(70);
    m_capabilities->setSpacing(2);
    for (const QString &capability : agent.capabilities.value_or(QStringList()))
        addCapability(capability);
    m_newCapability->setObjectName(QStringLiteral("newCapability"));
    m_newCapability->setPlaceholderText(tr("add a capability, Enter"));
    auto *completer = new QCompleter(this);
    completer->setModel(new QStringListModel(completer));
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_newCapability->setCompleter(completer);
    connect(m_newCapability, &QLineEdit::returnPressed, this, [this] {
        addCapability(m_newCapability->text());
        m_newCapability->clear();
    });
    auto *removeCapability = new QPushButton(tr("Remove"), this);
    connect(removeCapability, &QPushButton::clicked, this,
            [this] { qDeleteAll(m_capabilities->selectedItems()); });
    auto *capabilityRow = new QHBoxLayout;
    capabilityRow->addWidget(m_newCapability);
    capabilityRow->addWidget(removeCapability);

    m_metadata->setObjectName(QStringLiteral("metadata"));
    m_metadata->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_metadata->setPlainText(agent.id.isEmpty()
                                 ? QStringLiteral("{\n}")
                                 : QString::fromUtf8(QJsonDocument(agent.metadata.toObject()).toJson()));
    connect(m_metadata, &QPlainTextEdit::textChanged, this, &AgentDialog::validateMetadata);

    auto *form = new QFormLayout;
    auto *nameColumn = new QVBoxLayout;
    nameColumn->addWidget(m_name);
    nameColumn->addWidget(m_nameError);
    form->addRow(buddyLabel(tr("&Name:"), m_name), nameColumn);
    form->addRow(tr("&Type:"), m_type);
    form->addRow(tr("&Status:"), m_status);
    auto *capColumn = new QVBoxLayout;
    capColumn->addWidget(m_capabilities);
    capColumn->addLayout(capabilityRow);
    form->addRow(buddyLabel(tr("&Capabilities:"), m_newCapability), capColumn);
    auto *metaColumn = new QVBoxLayout;
    metaColumn->addWidget(m_metadata);
    metaColumn->addWidget(m_metadataError);
    form->addRow(buddyLabel(tr("&Metadata (JSON):"), m_metadata), metaColumn);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_save = buttons->addButton(tr("Save"), QDialogButtonBox::AcceptRole);
    m_save->setAutoDefault(false);
    connect(m_save, &QPushButton::clicked, this, &AgentDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_general);
    layout->addWidget(buttons);
    setMinimumWidth(480);
    validateMetadata();

    QCoro::connect(AgentAdmin(executor, feed).capabilitiesInUse(), this,
                   [this, completer](Result<QStringList> inUse) {
                       if (!inUse)
                           return;
                       m_completions = *inUse;
                       static_cast<QStringListModel *>(completer->model())->setStringList(m_completions);
                       emit completionsLoaded();
                   });
}

QString AgentDialog::metadataError() const
{
    return m_metadataError->isHidden() ? QString() : m_metadataError->text();
}

QString AgentDialog::nameError() const
{
    return m_nameError->isHidden() ? QString() : m_nameError->text();
}

QString AgentDialog::generalError() const
{
    return m_general->isHidden() ? QString() : m_general->text();
}

bool AgentDialog::canSave() const
{
    return m_save->isEnabled();
}

QStringList AgentDialog::capabilities() const
{
    QStringList out;
    for (int i = 0; i < m_capabilities->count(); ++i)
        out << m_capabilities->item(i)->text();
    return out;
}

QStringList AgentDialog::completions() const
{
    return m_completions;
}

void AgentDialog::setName(const QString &name)
{
    m_name->setText(name);
}

void AgentDialog::setMetadataText(const QString &json)
{
    m_metadata->setPlainText(json);
}

void AgentDialog::addCapability(const QString &capability)
{
    const QString trimmed = capability.trimmed();
    if (trimmed.isEmpty() || capabilities().contains(trimmed))
        return;
    m_capabilities->addItem(trimmed);
}

void AgentDialog::validateMetadata()
{
    const Result<QJsonObject> parsed = AgentAdmin::parseMetadata(m_metadata->toPlainText());
    m_metadataError->setText(parsed ? QString() : parsed.error().message);
    if (m_metadataError->isHidden() == parsed.ok())
        return m_save->setEnabled(parsed.ok()); // the same state: nothing moves
    m_metadataError->setVisible(!parsed.ok());
    if (isVisible())
        resize(width(), qMax(height(), sizeHint().height()));
    m_save->setEnabled(parsed.ok());
}

void AgentDialog::showError(const Error &error)
{
    QLabel *at = error.detail == QLatin1String("name")       ? m_nameError
                 : error.detail == QLatin1String("metadata") ? m_metadataError
                                                             : m_general;
    at->setText(error.message);
    at->show();
    resize(width(), qMax(height(), sizeHint().height()));
}

void AgentDialog::submit()
{
    m_nameError->hide();
    m_general->hide();
    if (!m_newCapability->text().trimmed().isEmpty()) { // typed but not yet added
        addCapability(m_newCapability->text());
        m_newCapability->clear();
    }
    AgentAdmin::Draft draft;
    draft.name = m_name->text();
    draft.type = fromDb<AgentType>(m_type->currentData().toString()).value_or(AgentType::Ai);
    draft.status = fromDb<AgentStatus>(m_status->currentData().toString()).value_or(AgentStatus::Active);
    draft.capabilities = capabilities();
    draft.metadataJson = m_metadata->toPlainText();
    if (draft.name.trimmed().isEmpty()) {
        showError(Error{Error::Kind::Invalid, tr("Enter a name for the agent."), QStringLiteral("name"), {}});
        emit submitted(false);
        return;
    }
    if (!m_save->isEnabled()) {
        emit submitted(false);
        return;
    }
    m_save->setEnabled(false);
    AgentAdmin admin(*m_executor, *m_feed);
    auto done = [this](Result<AgentRow> r) {
        m_save->setEnabled(true);
        if (!r) {
            showError(r.error());
            emit submitted(false);
            return;
        }
        m_saved = *r;
        emit submitted(true);
        accept();
    };
    if (m_agent.id.isEmpty())
        QCoro::connect(admin.create(m_actor, draft), this, done);
    else
        QCoro::connect(admin.update(m_actor, m_agent.id, draft, m_agent.updatedAt), this, done);
}

} // namespace ccpm
