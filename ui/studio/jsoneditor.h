#pragma once

#include "popupeditor.h"
#include "tablespec.h"

class QPlainTextEdit;

namespace ccpm {

/// Studio's editor of a json / jsonb cell: the text, checked as it is typed ("Valid JSON: an
/// object" or the reason it is not), scalars (`42`, `"x"`, `true`, `null`) as valid as arrays and
/// objects. Empty text is SQL NULL (allowed when the column is nullable). Numbers are never
/// reformatted. Thread: GUI.
class JsonEditor : public PopupEditor {
    Q_OBJECT
public:
    explicit JsonEditor(const ColumnSpec &column, QWidget *parent = nullptr);

    void setText(const QString &text);
    QString text() const;
    QPlainTextEdit *textEdit() const { return m_edit; }

private:
    void check();

    ColumnSpec m_column;
    QPlainTextEdit *m_edit = nullptr;
};

} // namespace ccpm
