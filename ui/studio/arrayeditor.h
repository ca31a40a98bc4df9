#pragma once

#include "popupeditor.h"
#include "tablespec.h"

class QListWidget;
class QListWidgetItem;

namespace ccpm {

/// Studio's editor of an array cell (ColumnSpec::Type::Array and TextArray): one line per
/// element, which can be added, removed, moved up or down, edited in place, or set to NULL (a
/// NULL element shows as a grey italic NULL, apart from an empty string). Each element is
/// checked against the element type (whole numbers, numbers, enum labels, uuids, …); the status
/// line names the first bad one. elements() gives a QStringList with a null QString per NULL
/// element, which ColumnSpec::fromEdit() turns into the stored JSON array. Thread: GUI.
class ArrayEditor : public PopupEditor {
    Q_OBJECT
public:
    explicit ArrayEditor(const ColumnSpec &column, QWidget *parent = nullptr);

    /// nullopt (a NULL array) starts an empty list.
    void setElements(const std::optional<QStringList> &elements);
    QStringList elements() const;
    QListWidget *list() const { return m_list; }

    void addElement(const QString &text = QStringLiteral(""));
    void addNull();
    void removeCurrent();
    void moveCurrent(int delta);
    void setCurrentNull();

private:
    void styleItem(QListWidgetItem *item, bool null);
    void changed();
    void check();

    ColumnSpec m_column;
    ColumnSpec m_element;
    QListWidget *m_list = nullptr;
    bool m_filling = false;
};

} // namespace ccpm
