#pragma once

#include <QMainWindow>

namespace ccpm {

class DbExecutor;
class StudioView;

/// The window of `ccpm-desk studio --database-url URL`: Studio alone, on any PostgreSQL
/// database, without login, migrations or the agent hub. It reads the catalog at once and
/// writes only when the user saves. `databaseLabel` names the database in the title (never
/// its password). Closing with unsaved edits asks first. Thread: GUI.
class StudioWindow : public QMainWindow {
    Q_OBJECT
public:
    StudioWindow(DbExecutor &executor, const QString &databaseLabel, QWidget *parent = nullptr);
    StudioView *studio() const { return m_studio; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    StudioView *m_studio;
};

} // namespace ccpm
