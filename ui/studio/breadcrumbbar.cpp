#include "breadcrumbbar.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace ccpm {

namespace {

constexpr int kMaxLabel = 40;

QString elided(const QString &text)
{
    return text.size() > kMaxLabel ? QString(text.left(kMaxLabel - 1) + QChar(0x2026)) : text;
}

} // namespace

BreadcrumbBar::BreadcrumbBar(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QHBoxLayout(this))
    , m_backButton(new QToolButton(this))
    , m_back(new QAction(tr("Back"), this))
{
    m_layout->setContentsMargins(2, 0, 2, 0);
    m_layout->setSpacing(0);
    m_back->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Left));
    m_back->setShortcutContext(Qt::WindowShortcut);
    m_back->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    m_back->setToolTip(tr("Back (Alt+Left)"));
    addAction(m_back);
    connect(m_back, &QAction::triggered, this, &BreadcrumbBar::back);
    m_backButton->setDefaultAction(m_back);
    m_backButton->setAutoRaise(true);
    rebuild();
}

QString BreadcrumbBar::describe(const RelationTarget &target)
{
    if (target.isWholeTable())
        return target.table;
    QStringList conditions;
    for (int i = 0; i < target.columns.size(); ++i) {
        const QVariant value = target.values.value(i);
        QString text = value.isNull() ? QStringLiteral("NULL") : value.toString();
        if (text.size() > 16)
            text = text.left(15) + QChar(0x2026);
        conditions << QStringLiteral("%1 = %2").arg(
            target.columns.at(i),
            value.isNull() ? text : QString(QLatin1Char('\'') + text + QLatin1Char('\'')));
    }
    return QStringLiteral("%1 (%2)").arg(target.table, conditions.join(QStringLiteral(", ")));
}

void BreadcrumbBar::push(const QString &label, const RelationTarget &target)
{
    m_crumbs.append({label, target});
    rebuild();
}

void BreadcrumbBar::reset(const QString &label, const RelationTarget &target)
{
    m_crumbs = {{label, target}};
    rebuild();
}

void BreadcrumbBar::clear()
{
    m_crumbs.clear();
    rebuild();
}

bool BreadcrumbBar::back()
{
    if (m_crumbs.size() < 2)
        return false;
    goTo(int(m_crumbs.size()) - 2);
    return true;
}

void BreadcrumbBar::goTo(int index)
{
    if (index < 0 || index >= m_crumbs.size() - 1)
        return;
    m_crumbs.resize(index + 1);
    rebuild();
    emit navigated(m_crumbs.last().target);
}

QStringList BreadcrumbBar::labels() const
{
    QStringList out;
    for (const Crumb &crumb : m_crumbs)
        out << crumb.label;
    return out;
}

void BreadcrumbBar::rebuild()
{
    // Everything after the back button goes; the crumbs are made again (a path is short)
    while (m_layout->count() > 0) {
        QLayoutItem *item = m_layout->takeAt(0);
        if (item->widget() && item->widget() != m_backButton)
            item->widget()->deleteLater();
        delete item;
    }
    m_buttons.clear();
    m_layout->addWidget(m_backButton);
    m_back->setEnabled(m_crumbs.size() > 1);
    for (int i = 0; i < m_crumbs.size(); ++i) {
        if (i > 0) {
            auto *separator = new QLabel(QStringLiteral(" ▸ "), this);
            separator->setEnabled(false);
            m_layout->addWidget(separator);
        }
        auto *button = new QToolButton(this);
        button->setAutoRaise(true);
        button->setText(elided(m_crumbs.at(i).label));
        button->setToolTip(m_crumbs.at(i).label);
        const bool current = i == m_crumbs.size() - 1;
        if (current) {
            QFont font = button->font();
            font.setBold(true);
            button->setFont(font);
            button->setCheckable(false);
        } else {
            connect(button, &QToolButton::clicked, this, [this, i] { goTo(i); });
        }
        m_layout->addWidget(button);
        m_buttons.append(button);
    }
    m_layout->addStretch();
}

} // namespace ccpm
