#include "studioapp.h"

#include "databaselocator.h"
#include "dbexecutor.h"
#include "studiocommand.h"
#include "studioview.h"
#include "studiowindow.h"

#include <QApplication>
#include <QSettings>
#include <QTextStream>
#include <QTimer>

namespace ccpm {

int runStudioWindow(const StudioWindowOptions &options)
{
    QSettings settings;
    Result<DatabaseChoice> choice = chooseDatabase(options.databaseUrl, settings);
    if (!choice)
        return printError(choice.error().message, 2);
    if (choice->source == DatabaseChoice::Source::Embedded)
        return printError(QStringLiteral("'studio' needs a database: give --database-url URL (or set "
                                         "DATABASE_URL)."),
                          2);
    DbExecutor executor(choice->settings, 3); // pages, counts and an export at once
    StudioWindow window(executor, choice->settings.displayName());
    const QString wanted = options.table;
    const QString screenshot = options.screenshotPath;
    QObject::connect(window.studio(), &StudioView::catalogLoaded, &window, [&window, wanted, screenshot] {
        StudioView *studio = window.studio();
        if (!wanted.isEmpty()) {
            const std::optional<std::pair<QString, QString>> table = findTable(studio->catalog(), wanted);
            if (!table || !studio->open(table->first, table->second)) {
                printError(QStringLiteral("there is no table '%1'.").arg(wanted), 1);
                if (!screenshot.isEmpty()) {
                    QCoreApplication::exit(1);
                    return;
                }
            }
        }
        if (!screenshot.isEmpty()) {
            QTimer::singleShot(1500, &window, [&window, screenshot] {
                const bool saved = window.grab().save(screenshot, "PNG");
                QTextStream(stderr) << "screenshot " << (saved ? "saved: " : "FAILED: ") << screenshot
                                    << Qt::endl;
                QCoreApplication::exit(saved ? 0 : 1);
            });
        }
    });
    QObject::connect(window.studio(), &StudioView::catalogFailed, &window,
                     [screenshot](const QString &message) {
                         printError(message, 1);
                         if (!screenshot.isEmpty())
                             QCoreApplication::exit(1);
                     });
    window.show();
    return QApplication::exec();
}

} // namespace ccpm
