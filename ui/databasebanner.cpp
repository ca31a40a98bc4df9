#include "databasebanner.h"

#include "databasewatch.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace ccpm {

DatabaseBanner::DatabaseBanner(DatabaseWatch &watch, QWidget *parent)
    : QFrame(parent)
    , m_watch(&watch)
    , m_text(new QLabel(this))
    , m_retry(new QPushButton(tr("Retry now"), this))
{
    setObjectName(QStringLiteral("databaseBanner"));
    setStyleSheet(QStringLiteral("#databaseBanner { background: #fdecea; border-bottom: 1px solid #e57373; }"
                                 "#databaseBanner QLabel { color: #b71c1c; font-weight: bold; }"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_retry);
    m_text->setWordWrap(true);
    hide();

    connect(m_retry, &QPushButton::clicked, &watch, &DatabaseWatch::retryNow);
    connect(&watch, &DatabaseWatch::countdown, this, &DatabaseBanner::showCountdown);
    connect(&watch, &DatabaseWatch::restored, this, &QWidget::hide);
}

QString DatabaseBanner::text() const
{
    return m_text->text();
}

void DatabaseBanner::showCountdown(int seconds)
{
    m_text->setText(seconds > 0 ? tr("Database unavailable, retrying in %1 s").arg(seconds)
                                : tr("Database unavailable, retrying now…"));
    m_text->setToolTip(m_watch->lastError().toString());
    m_retry->setEnabled(seconds > 0);
    show();
}

} // namespace ccpm
