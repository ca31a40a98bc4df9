#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace ccpm {

class DatabaseWatch;

/// The strip at the top of the main window while the database is unavailable: "Database
/// unavailable, retrying in N s" counting down, and a "Retry now" button. Hidden otherwise.
/// Thread: GUI. The watch is not owned and must outlive the banner.
class DatabaseBanner : public QFrame {
    Q_OBJECT
public:
    explicit DatabaseBanner(DatabaseWatch &watch, QWidget *parent = nullptr);

    QString text() const;
    QPushButton *retryButton() const { return m_retry; }

private:
    void showCountdown(int seconds);

    DatabaseWatch *m_watch;
    QLabel *m_text;
    QPushButton *m_retry;
};

} // namespace ccpm
