#include "quickswitcher.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace ccpm {

QuickSwitcher::QuickSwitcher(const QStringList &views, QWidget *parent)
    : QDialog(parent, Qt::Popup)
    , m_input(new QLineEdit(this))
    , m_list(new QListWidget(this))
{
    setWindowTitle(tr("Jump to…"));
    m_input->setPlaceholderText(tr("Jump to… (type a view's name, Enter opens it)"));
    m_input->setClearButtonEnabled(true);
    m_input->installEventFilter(this);
    for (int i = 0; i < views.size(); ++i) {
        auto *item = new QListWidgetItem(QString(views.at(i)).remove(QLatin1Char('&')), m_list);
        item->setData(Qt::UserRole, i);
    }
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_input);
    layout->addWidget(m_list);
    connect(m_input, &QLineEdit::textChanged, this, &QuickSwitcher::filter);
    connect(m_list, &QListWidget::itemActivated, this, &QuickSwitcher::accept);
    connect(m_input, &QLineEdit::returnPressed, this, &QuickSwitcher::accept);
    filter({});
    resize(360, 260);
    if (parent) // over the top of the parent, centred, like an editor's command palette
        move(parent->mapToGlobal(QPoint((parent->width() - width()) / 2, 60)));
}

void QuickSwitcher::setPrompt(const QString &title, const QString &placeholder)
{
    setWindowTitle(title);
    m_input->setPlaceholderText(placeholder);
}

void QuickSwitcher::setIcons(const QList<QIcon> &icons)
{
    for (int i = 0; i < m_list->count() && i < icons.size(); ++i)
        m_list->item(i)->setIcon(icons.at(i));
}

QStringList QuickSwitcher::visibleViews() const
{
    QStringList out;
    for (int i = 0; i < m_list->count(); ++i) {
        if (!m_list->item(i)->isHidden())
            out << m_list->item(i)->text();
    }
    return out;
}

void QuickSwitcher::filter(const QString &text)
{
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QListWidgetItem *first = nullptr;
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        bool match = true;
        for (const QString &word : words)
            match = match && item->text().contains(word, Qt::CaseInsensitive);
        item->setHidden(!match);
        if (match && !first)
            first = item;
    }
    m_list->setCurrentItem(first);
}

bool QuickSwitcher::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Down || key == Qt::Key_Up) {
            // Up and Down move through the visible items while the typing stays in the field
            int row = m_list->currentRow();
            do
                row += key == Qt::Key_Down ? 1 : -1;
            while (row >= 0 && row < m_list->count() && m_list->item(row)->isHidden());
            if (row >= 0 && row < m_list->count())
                m_list->setCurrentRow(row);
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void QuickSwitcher::accept()
{
    QListWidgetItem *item = m_list->currentItem();
    if (!item || item->isHidden())
        return; // nothing matches: stay open
    emit chosen(item->data(Qt::UserRole).toInt());
    QDialog::accept();
}

} // namespace ccpm
