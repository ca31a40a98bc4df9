#pragma once

#include <QAbstractButton>

namespace ccpm {

/// One filter pill of FilterPillBar: a rounded chip showing the filter as text (`price ≥ 10`)
/// with a × that removes it. Clicking the text (or Enter, Space) asks to edit it; clicking the ×
/// (or Delete, Backspace) asks to remove it. Painted from the palette, so it follows light and
/// dark themes. Thread: GUI.
class FilterPill : public QAbstractButton {
    Q_OBJECT
public:
    explicit FilterPill(const QString &text, QWidget *parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }
    /// Where the × is drawn, in the pill's coordinates (for tests that click it).
    QRect closeRect() const;

signals:
    void editRequested();
    void removeRequested();

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    QString elidedText() const;
    bool m_closeHovered = false;
};

} // namespace ccpm
