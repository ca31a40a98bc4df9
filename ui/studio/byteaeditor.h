#pragma once

#include "popupeditor.h"
#include "tablespec.h"

class QLabel;
class QPlainTextEdit;

namespace ccpm {

/// Studio's viewer and editor of a bytea cell: its size, a read-only hex dump (offset, 16 bytes
/// in hex, their printable ASCII; the first 64 KiB), and the value as `\x…` hex text, which may
/// be edited (checked as typed: hex digits in pairs). Thread: GUI.
class ByteaEditor : public PopupEditor {
    Q_OBJECT
public:
    explicit ByteaEditor(const ColumnSpec &column, QWidget *parent = nullptr);

    void setText(const QString &hex);
    QString text() const;
    QString dump() const;
    QPlainTextEdit *hexEdit() const { return m_hex; }

private:
    void refresh();

    ColumnSpec m_column;
    QLabel *m_size = nullptr;
    QPlainTextEdit *m_dump = nullptr;
    QPlainTextEdit *m_hex = nullptr;
};

} // namespace ccpm
