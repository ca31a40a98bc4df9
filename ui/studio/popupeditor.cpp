#include "popupeditor.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace ccpm {

namespace {

bool isApplyKey(const QKeyEvent *key)
{
    return (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
           (key->modifiers() & Qt::ControlModifier);
}

} // namespace

PopupEditor::PopupEditor(QWidget *parent)
    : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    m_body = new QVBoxLayout;
    layout->addLayout(m_body, 1);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    // Room for a two-line reason: the editor's size is set once, when it opens.
    m_status->setMinimumHeight(m_status->fontMetrics().lineSpacing() * 2 + 4);
    m_status->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    layout->addWidget(m_status);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    auto *cancel = new QPushButton(tr("Cancel"), this);
    m_apply = new QPushButton(tr("Apply (Ctrl+Enter)"), this);
    m_apply->setDefault(false);
    m_apply->setAutoDefault(false);
    cancel->setAutoDefault(false);
    buttons->addWidget(cancel);
    buttons->addWidget(m_apply);
    layout->addLayout(buttons);
    connect(cancel, &QPushButton::clicked, this, &PopupEditor::rejected);
    connect(m_apply, &QPushButton::clicked, this, &PopupEditor::apply);
}

QString PopupEditor::status() const
{
    return m_status->text();
}

void PopupEditor::setStatus(bool valid, const QString &text)
{
    m_valid = valid;
    m_status->setText(text);
    m_status->setStyleSheet(valid ? QStringLiteral("color: #006e28;") : QStringLiteral("color: #aa0000;"));
    m_apply->setEnabled(valid);
}

void PopupEditor::apply()
{
    if (m_valid)
        emit accepted();
}

void PopupEditor::keyPressEvent(QKeyEvent *event)
{
    if (isApplyKey(event)) {
        apply();
        return;
    }
    if (event->key() == Qt::Key_Escape) {
        emit rejected();
        return;
    }
    QFrame::keyPressEvent(event);
}

void PopupEditor::watchKeys(QWidget *widget)
{
    widget->installEventFilter(this);
}

bool PopupEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (isApplyKey(key)) {
            apply();
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            emit rejected();
            return true;
        }
    }
    return QFrame::eventFilter(watched, event);
}

} // namespace ccpm
