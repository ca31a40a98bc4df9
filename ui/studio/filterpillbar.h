#pragma once

#include "keysetquery.h"
#include "result.h"
#include "studiofilter.h"
#include "tablespec.h"

#include <QList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QTimer;
class QToolButton;

namespace ccpm {

class FilterEditor;
class FilterPill;
class FlowLayout;

/// The bar above Studio's grid: filter pills, an AND/OR toggle and a quick search.
///
/// "+ Filter" opens a FilterEditor popup (column, operator, value); Enter adds the pill. A pill
/// is a rounded chip: click it to edit, × (or Delete) to remove it. Pills combine with AND or OR
/// (the toggle shows once there are two). The quick search (Ctrl+F) looks in the text columns;
/// Backspace in an empty search removes the last pill. Every pill is checked by
/// studiofilter::buildFilter() before it is shown, so a malformed value is reported in the
/// popup and never reaches SQL. Enter in the search box turns a typed filter line
/// (`price >= 10 and status in (A, B)`, studiofilter::parseLine()) into pills.
///
/// filtersChanged() fires when a pill is added, edited or removed or AND/OR flips (at once), and
/// when the quick search changes (300 ms after the last key). Connect it to the model: build a
/// KeysetQuery from the spec with `filters`, setMatchAny(matchAny), and `quickSearch` over
/// quickSearchColumns(). Thread: GUI.
class FilterPillBar : public QWidget {
    Q_OBJECT
public:
    explicit FilterPillBar(QWidget *parent = nullptr);

    /// The table the pills filter: clears the pills and the search (without emitting).
    void setTableSpec(const TableSpec &spec);
    const TableSpec &tableSpec() const { return m_spec; }

    QList<StudioFilter> pills() const { return m_pills; }
    /// Replaces the pills (e.g. a back-relation opened filtered) and emits filtersChanged(); a
    /// pill the spec refuses leaves everything as it was and returns its sentence.
    Status setPills(const QList<StudioFilter> &pills, bool matchAny = false);
    /// Adds one pill and emits filtersChanged(), or returns why the pill is refused.
    Status addPill(const StudioFilter &pill);
    void removePill(int index);

    /// The pills as KeysetQuery filters (all valid by construction).
    QList<KeysetQuery::Filter> filters() const { return m_filters; }
    bool matchAny() const { return m_matchAny; }
    void setMatchAny(bool any);
    QString quickSearch() const;
    /// The expressions the quick search looks in (studiofilter::quickSearchColumns()).
    QStringList quickSearchColumns() const;

    void focusQuickSearch();
    /// Adds the pills of a typed line (studiofilter::parseLine()); a line joining several with
    /// `or` or `and` sets matchAny. Returns why the line is refused, changing nothing.
    Status applyLine(const QString &line);
    /// The sentence shown for the last refused line in the search box, or empty.
    QString lineError() const { return m_lineError; }

    /// Opens the popup for a new pill (what "+ Filter" does).
    void openEditor();
    /// Opens the popup on pill `index`.
    void editPill(int index);

    // For tests and the lead's wiring.
    QToolButton *addButton() const { return m_add; }
    QToolButton *matchButton() const { return m_match; }
    QLineEdit *searchEdit() const { return m_search; }
    FilterEditor *editor() const { return m_editor; }
    QList<FilterPill *> pillWidgets() const { return m_pillWidgets; }

signals:
    void filtersChanged(const QList<ccpm::KeysetQuery::Filter> &filters, bool matchAny,
                        const QString &quickSearch);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void editorAccepted(const StudioFilter &pill);
    void searchReturnPressed();
    void rebuild();
    void emitChanged();

    TableSpec m_spec;
    QList<StudioFilter> m_pills;
    QList<KeysetQuery::Filter> m_filters;
    QList<FilterPill *> m_pillWidgets;
    QList<QLabel *> m_connectors;
    bool m_matchAny = false;
    int m_editing = -1; ///< the pill the popup edits; -1 for a new one
    QString m_lineError;
    FlowLayout *m_flow; ///< pills, connectors, "+ Filter" and AND/OR, wrapping to more lines
    QToolButton *m_add;
    QToolButton *m_match;
    QLineEdit *m_search;
    QTimer *m_searchDelay;
    FilterEditor *m_editor;
};

} // namespace ccpm
