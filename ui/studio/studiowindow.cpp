#include "studiowindow.h"

#include "pagedtablemodel.h"
#include "studioview.h"

#include <QCloseEvent>
#include <QMenuBar>
#include <QStatusBar>

namespace ccpm {

StudioWindow::StudioWindow(DbExecutor &executor, const QString &databaseLabel, QWidget *parent)
    : QMainWindow(parent)
    , m_studio(new StudioView(executor, this))
{
    setWindowTitle(tr("CCPM Desk Studio — %1").arg(databaseLabel));
    setCentralWidget(m_studio);
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Reload the table list"), m_studio, &StudioView::reloadCatalog);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    connect(m_studio, &StudioView::statusMessage, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(m_studio, &StudioView::catalogFailed, this,
            [this](const QString &message) { statusBar()->showMessage(message); });
    resize(1280, 800);
    m_studio->reloadCatalog();
}

void StudioWindow::closeEvent(QCloseEvent *event)
{
    if (m_studio->confirmLeave())
        event->accept();
    else
        event->ignore();
}

} // namespace ccpm
