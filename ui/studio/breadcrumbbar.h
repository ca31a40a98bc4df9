#pragma once

#include "relationqueries.h"

#include <QList>
#include <QWidget>

class QAction;
class QHBoxLayout;
class QToolButton;

namespace ccpm {

/// Studio's path of visited views: `agents ▸ agent 'Claude' ▸ tasks (assignedTo = 'c1…')`.
/// Each crumb is a label and the RelationTarget that shows it again. push() adds the view just
/// opened, reset() starts a new path (a table opened from the sidebar). Clicking an earlier
/// crumb, the back button, or Alt+Left (backAction(), window-wide) drops the crumbs after it
/// and emits navigated() with the view to restore. The last crumb is the current view.
/// Thread: GUI.
class BreadcrumbBar : public QWidget {
    Q_OBJECT
public:
    struct Crumb {
        QString label;
        RelationTarget target;
    };

    explicit BreadcrumbBar(QWidget *parent = nullptr);

    void push(const QString &label, const RelationTarget &target);
    void reset(const QString &label, const RelationTarget &target);
    void clear();
    /// Back one crumb; false (nothing emitted) when there is no earlier one.
    bool back();
    /// Back to crumb `index` (0 is the first); nothing happens for the current or a bad index.
    void goTo(int index);

    int count() const { return int(m_crumbs.size()); }
    QList<Crumb> crumbs() const { return m_crumbs; }
    QStringList labels() const;
    QAction *backAction() const { return m_back; }
    /// The button of crumb `index` (tests).
    QToolButton *crumbButton(int index) const { return m_buttons.value(index); }

    /// A label for a view: `tasks`, or `tasks (assignedTo = 'c1…')`, `t (a = '1', b = 'x')`.
    static QString describe(const RelationTarget &target);

signals:
    /// Show this view again (it is now the last crumb).
    void navigated(const RelationTarget &target);

private:
    void rebuild();

    QList<Crumb> m_crumbs;
    QList<QToolButton *> m_buttons;
    QHBoxLayout *m_layout;
    QToolButton *m_backButton;
    QAction *m_back;
};

} // namespace ccpm
