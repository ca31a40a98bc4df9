#pragma once

#include "enums.h"
#include "tablespec.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLineEdit;
class QTimer;

namespace ccpm {

/// The filters the task board and the task table share: status, priority, assignee and creator
/// (names containing the typed text), and a free text searched in every text column. Typing is
/// debounced, so a pause sends one query. All of it runs in SQL (PagedTableModel::setFilters,
/// setQuickSearch): never a scan in memory. Thread: GUI.
class TaskFilterBar : public QWidget {
    Q_OBJECT
public:
    explicit TaskFilterBar(QWidget *parent = nullptr);

    /// The column filters of the tasks spec, with or without the status one.
    QList<ColumnFilter> filters(bool withStatus = true) const;
    std::optional<TaskStatus> status() const;
    QString text() const;
    void focusText();

    QComboBox *statusBox() const { return m_status; }
    QComboBox *priorityBox() const { return m_priority; }
    QLineEdit *assigneeEdit() const { return m_assignee; }
    QLineEdit *creatorEdit() const { return m_creator; }
    QLineEdit *textEdit() const { return m_text; }

signals:
    void changed();

private:
    QComboBox *m_status;
    QComboBox *m_priority;
    QLineEdit *m_assignee;
    QLineEdit *m_creator;
    QLineEdit *m_text;
    QTimer *m_delay;
};

} // namespace ccpm
