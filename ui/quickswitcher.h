#pragma once

#include <QDialog>
#include <QStringList>

class QLineEdit;
class QListWidget;

namespace ccpm {

/// Ctrl+K "Jump to…": a small popup listing the views by name; typing filters them (every word
/// typed must occur, any case), Up/Down choose, Enter opens the chosen one, Escape closes.
/// chosen() gives the view's index in the list it was built with. Thread: GUI.
class QuickSwitcher : public QDialog {
    Q_OBJECT
public:
    QuickSwitcher(const QStringList &views, QWidget *parent = nullptr);

    QLineEdit *input() const { return m_input; }
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
