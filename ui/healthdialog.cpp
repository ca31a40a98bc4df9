#include "healthdialog.h"

#include "databasewatch.h"
#include "hubstatus.h"
#include "migrator.h"
#include "serverinfo.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace ccpm {

namespace {

struct MigrationCounts {
    QStringList applied;
    QStringList pending;
    QStringList modified;
};

Result<MigrationCounts> migrationCounts(QSqlDatabase &db)
{
    Result<QList<Migrator::Entry>> entries = Migrator::status(db);
    if (!entries)
        return entries.error();
    MigrationCounts counts;
    for (const Migrator::Entry &e : *entries) {
        const QString name = QStringLiteral("%1 %2").arg(e.version, 4, 10, QLatin1Char('0')).arg(e.name);
        switch (e.state) {
        case Migrator::State::Applied:
        case Migrator::State::Baselined:
            counts.applied << name;
            break;
        case Migrator::State::Pending:
            counts.pending << name;
            break;
        case Migrator::State::Modified:
            counts.modified << name;
            break;
        }
    }
    return counts;
}

} // namespace

HealthDialog::HealthDialog(DbExecutor &executor, const ConnectionSettings &settings, DatabaseWatch *watch,
                           HubStatus *hub, QWidget *parent)
    : QDialog(parent)
    , m_executor(&executor)
    , m_hub(hub)
    , m_form(new QFormLayout)
{
    setWindowTitle(tr("Health"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    addRow(QStringLiteral("database"), tr("Database:"))->setText(settings.redactedUrl());
    addRow(QStringLiteral("reachable"), tr("Reachable:"));
    addRow(QStringLiteral("roundTrip"), tr("Round trip:"));
    addRow(QStringLiteral("server"), tr("Server version:"));
    addRow(QStringLiteral("applied"), tr("Migrations applied:"));
    addRow(QStringLiteral("pending"), tr("Migrations pending:"));
    addRow(QStringLiteral("hub"), tr("Agent hub:"));
    addRow(QStringLiteral("connections"), tr("Hub connections:"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *again = buttons->addButton(tr("&Refresh"), QDialogButtonBox::ActionRole);
    connect(again, &QPushButton::clicked, this, &HealthDialog::refresh);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    if (m_hub)
        connect(m_hub, &HubStatus::changed, this, &HealthDialog::showHub);
    if (watch)
        connect(watch, &DatabaseWatch::restored, this, &HealthDialog::refresh);
    showHub();
    refresh();
    resize(520, sizeHint().height());
}

QLabel *HealthDialog::addRow(const QString &key, const QString &label)
{
    auto *value = new QLabel(this);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setWordWrap(true);
    m_form->addRow(label, value);
    m_rows.insert(key, value);
    return value;
}

QString HealthDialog::value(const QString &row) const
{
    const QLabel *label = m_rows.value(row);
    return label ? label->text() : QString();
}

void HealthDialog::showHub()
{
    if (m_hub && m_hub->isRunning()) {
        m_rows[QStringLiteral("hub")]->setText(m_hub->url().toString());
        m_rows[QStringLiteral("connections")]->setText(QString::number(m_hub->connections()));
    } else {
        const QString why = m_hub ? m_hub->offReason() : QString();
        m_rows[QStringLiteral("hub")]->setText(why.isEmpty() ? tr("off") : tr("off (%1)").arg(why));
        m_rows[QStringLiteral("connections")]->setText(QStringLiteral("–"));
    }
}

void HealthDialog::refresh()
{
    if (m_waiting > 0)
        return;
    m_waiting = 3;
    for (const QString &key :
         {QStringLiteral("reachable"), QStringLiteral("roundTrip"), QStringLiteral("server"),
          QStringLiteral("applied"), QStringLiteral("pending")})
        m_rows[key]->setText(tr("checking…"));
    const auto done = [this] {
        if (--m_waiting == 0)
            emit refreshed();
    };

    QCoro::connect(ServerInfo::ping(*m_executor), this, [this, done](Result<double> ms) {
        if (ms) {
            m_rows[QStringLiteral("reachable")]->setText(tr("yes"));
            m_rows[QStringLiteral("roundTrip")]->setText(tr("%1 ms").arg(*ms, 0, 'f', 1));
        } else {
            m_rows[QStringLiteral("reachable")]->setText(tr("no: %1").arg(ms.error().message));
            m_rows[QStringLiteral("roundTrip")]->setText(QStringLiteral("–"));
        }
        done();
    });
    QCoro::connect(ServerInfo::version(*m_executor), this, [this, done](Result<QString> version) {
        m_rows[QStringLiteral("server")]->setText(version ? *version
                                                          : tr("unknown: %1").arg(version.error().message));
        done();
    });
    QCoro::connect(m_executor->exec(&migrationCounts), this, [this, done](Result<MigrationCounts> counts) {
        QLabel *applied = m_rows[QStringLiteral("applied")];
        QLabel *pending = m_rows[QStringLiteral("pending")];
        if (!counts) {
            applied->setText(tr("unknown: %1").arg(counts.error().message));
            pending->setText(QStringLiteral("–"));
        } else {
            applied->setText(QString::number(counts->applied.size()));
            applied->setToolTip(counts->applied.join(QLatin1Char('\n')));
            QString text = QString::number(counts->pending.size());
            if (!counts->pending.isEmpty())
                text += QStringLiteral(" (") + counts->pending.join(QStringLiteral(", ")) + QLatin1Char(')');
            if (!counts->modified.isEmpty())
                text += QLatin1Char(' ') +
                        tr("· changed since applied: %1").arg(counts->modified.join(QStringLiteral(", ")));
            pending->setText(text);
        }
        done();
    });
}

} // namespace ccpm
