#pragma once

#include <QDialog>

namespace ccpm {

class PagedTableModel;

/// Shown when a save found that someone else changed or deleted a row after it was loaded:
/// each column with the user's value beside the value now saved, and the choice to keep mine
/// (overwrite theirs on the next save) or take theirs (drop my edits of that row). Never
/// decides by itself. Thread: GUI.
class ConflictDialog : public QDialog {
    Q_OBJECT
public:
    enum Choice { Cancelled, KeepMine, TakeTheirs };

    ConflictDialog(const PagedTableModel &model, int row, QWidget *parent = nullptr);
    Choice choice() const { return m_choice; }

private:
    Choice m_choice = Cancelled;
};

} // namespace ccpm
