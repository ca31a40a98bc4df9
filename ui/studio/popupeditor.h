#pragma once

#include <QFrame>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace ccpm {

/// The frame of Studio's larger cell editors (JSON, arrays, bytea): the editor's own widgets
/// on top, a status line that says whether the value is valid and why not, and Cancel / Apply.
/// Ctrl+Enter applies, Escape cancels (StudioDelegate closes the editor on either signal).
/// Apply is refused while the status is invalid. Thread: GUI.
class PopupEditor : public QFrame {
    Q_OBJECT
public:
    explicit PopupEditor(QWidget *parent = nullptr);

    /// Whether the user changed anything since the value was set (unchanged: nothing is written).
    bool isModified() const { return m_modified; }
    /// The status line's sentence (for tests), and whether Apply is allowed.
    QString status() const;
    bool isValid() const { return m_valid; }

signals:
    void accepted();
    void rejected();

protected:
    QVBoxLayout *body() const { return m_body; }
    void setStatus(bool valid, const QString &text);
    void setModified(bool modified) { m_modified = modified; }
    void keyPressEvent(QKeyEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    /// Watches `widget` for Ctrl+Enter (a text edit takes plain Enter as a new line).
    void watchKeys(QWidget *widget);

private:
    void apply();

    QVBoxLayout *m_body = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_apply = nullptr;
    bool m_valid = true;
    bool m_modified = false;
};

} // namespace ccpm
