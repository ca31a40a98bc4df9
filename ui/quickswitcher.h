#pragma once

#include <QDialog>
#include <QIcon>
#include <QStringList>

class QLineEdit;
class QListWidget;

namespace ccpm {

/// Ctrl+K "Jump to…": a small popup listing the views by name; typing filters them (every word
/// typed must occur, any case), Up/Down choose, Enter opens the chosen one, Escape closes.
/// chosen() gives the view's index in the list it was built with. Studio's Ctrl+P lists its
/// tables with it (setPrompt(), setIcons()). Thread: GUI.
class QuickSwitcher : public QDialog {
    Q_OBJECT
public:
    QuickSwitcher(const QStringList &views, QWidget *parent = nullptr);

    QLineEdit *input() const { return m_input; }
    /// The window title and the input's placeholder (default: views).
    void setPrompt(const QString &title, const QString &placeholder);
    /// An icon per item, in the order of the list it was built with.
    void setIcons(const QList<QIcon> &icons);
    /// The views still listed, in order.
    QStringList visibleViews() const;

signals:
    void chosen(int index);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void filter(const QString &text);
    void accept() override;

    QLineEdit *m_input;
    QListWidget *m_list;
};

} // namespace ccpm
