#pragma once

#include "tablewriter.h"

#include <QDialog>

namespace ccpm {

/// Studio's "Save…": every statement the save will run, in order, with its bound values beside
/// it (NULL and DEFAULT spelled out), and one button to run them all in one transaction. Nothing
/// is written from here: accepting only says "go". Thread: GUI.
class SavePreviewDialog : public QDialog {
    Q_OBJECT
public:
    SavePreviewDialog(const QList<TableWriter::Statement> &statements, QWidget *parent = nullptr);

    /// The statements as text with their parameters, as the dialog shows them (tests, copying).
    static QString describe(const QList<TableWriter::Statement> &statements);
};

} // namespace ccpm
