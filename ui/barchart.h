#pragma once

#include <QColor>
#include <QList>
#include <QString>
#include <QWidget>

namespace ccpm {

/// A painted column chart (no Qt Charts): a title, one column per bar with its value above and
/// its label below, scaled to the largest value. Values are counts (0 or more).
/// Thread: GUI.
class BarChart : public QWidget {
    Q_OBJECT
public:
    struct Bar {
        QString label;
        qint64 value = 0;
        QColor color;
        QString toolTip;
    };

    explicit BarChart(const QString &title, QWidget *parent = nullptr);

    void setBars(const QList<Bar> &bars);
    const QList<Bar> &bars() const { return m_bars; }
    QString title() const { return m_title; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QRectF barRect(int index, const QRectF &plot) const;
    QRectF plotRect() const;

    QString m_title;
    QList<Bar> m_bars;
};

} // namespace ccpm
