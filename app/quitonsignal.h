#pragma once

#include <QObject>
#include <QTimer>

namespace ccpm {

/// Turns SIGINT and SIGTERM into QCoreApplication::quit(), so Ctrl+C, `kill` and a desktop
/// session's logout end the app the normal way: agents are marked INACTIVE, connections close,
/// and the embedded PostgreSQL is stopped when this was its last user.
/// The handler only sets a flag (async-signal-safe); a 100 ms timer in the owner's thread acts on
/// it. Create one in the main thread after the QCoreApplication.
class QuitOnSignal : public QObject {
    Q_OBJECT
public:
    explicit QuitOnSignal(QObject *parent = nullptr);

private:
    QTimer m_poll;
};

} // namespace ccpm
