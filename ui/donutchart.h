#pragma once

#include <QColor>
#include <QList>
#include <QString>
#include <QWidget>

namespace ccpm {

/// A painted donut chart (no Qt Charts): a title, a ring split into the slices' shares with the
/// total in the middle, and a legend with each slice's count. Values are counts (0 or more);
/// with a total of 0 the ring is drawn empty.
/// Thread: GUI.
class DonutChart : public QWidget {
    Q_OBJECT
public:
    struct Slice {
        QString label;
        qint64 value = 0;
        QColor color;
    };

    explicit DonutChart(const QString &title, QWidget *parent = nullptr);

    void setSlices(const QList<Slice> &slices);
    const QList<Slice> &slices() const { return m_slices; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_title;
    QList<Slice> m_slices;
};

} // namespace ccpm
