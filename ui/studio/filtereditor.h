#pragma once

#include "studiofilter.h"
#include "tablespec.h"

#include <QFrame>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace ccpm {

/// The small popup of FilterPillBar where one pill is made or edited: a column, an operator (only
/// those the column's type offers, with their symbols), and a value editor that fits them (a
/// combo box for an enum or a boolean, a list for "in list", a path and a value for JSON, none for
/// "is null"). Enter checks the pill with studiofilter::buildFilter(); a refused one shows its
/// sentence under the value and stays open, a good one is emitted. Esc closes. Thread: GUI.
class FilterEditor : public QFrame {
    Q_OBJECT
public:
    explicit FilterEditor(QWidget *parent = nullptr);

    void setTableSpec(const TableSpec &spec);
    /// Starts from `filter` (editing a pill) or from the first column (a new one).
    void start(const StudioFilter &filter, bool editing);
    /// The pill the fields describe now.
    StudioFilter filter() const;
    /// Checks the pill; emits accepted() and closes when it is good, shows why not otherwise.
    void accept();
    QString errorText() const;

    QComboBox *columnBox() const { return m_column; }
    QComboBox *opBox() const { return m_op; }
    QComboBox *choiceBox() const { return m_choice; }
    QLineEdit *valueEdit() const { return m_value; }
    QLineEdit *pathEdit() const { return m_path; }

signals:
    void accepted(const ccpm::StudioFilter &filter);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void fillOps();
    void updateValueEditor();
    void showError(const QString &message);
    const ColumnSpec *currentColumn() const;
    studiofilter::Op currentOp() const;

    TableSpec m_spec;
    QComboBox *m_column;
    QComboBox *m_op;
    QComboBox *m_choice;
    QLineEdit *m_path;
    QLineEdit *m_value;
    QLabel *m_error;
    QPushButton *m_apply;
};

} // namespace ccpm
