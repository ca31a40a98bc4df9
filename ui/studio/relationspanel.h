#pragma once

#include "canceltoken.h"
#include "catalog.h"
#include "relationqueries.h"

#include <QVariantMap>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTimer;
class QToolButton;
class QVBoxLayout;

namespace ccpm {

class DbExecutor;

/// Studio's side panel for the current row: its foreign keys ("References": `agentId → agents
/// = 'c1…'` with an Open button, disabled when the value is NULL) and the rows pointing at it
/// ("Referenced by": `tasks.assignedTo: 12`, clickable). The referenced rows' names (their
/// `name`, `title`… column) come from one statement and the counts from another
/// (RelationQueries::read, counts capped at kCountCap: more shows as "10,000+"), run on a DbExecutor
/// worker 150 ms after the row last changed; a newer row cancels the older statement and its
/// late answer is dropped (a generation counter).
/// Errors: shown in the panel in place of the counts. Thread: GUI.
class RelationsPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr qint64 kCountCap = 10000;

    explicit RelationsPanel(DbExecutor &executor, QWidget *parent = nullptr);
    ~RelationsPanel() override;

    void setCatalog(const SchemaCatalog &catalog);
    /// The current row: its table, its values by column name (the server's text, a null
    /// QVariant for NULL; at least its key and foreign-key columns) and how to name it
    /// ("agent 'Claude'"; empty: the table's name).
    void setRow(const QString &schema, const QString &table, const QVariantMap &values,
                const QString &label = {});
    /// No current row (a new row not saved yet, an empty table).
    void clearRow();
    /// The wait after the last setRow() before counting (ms); 0 counts at once.
    void setDebounce(int milliseconds);

    QList<ForwardRelation> forwardRelations() const { return m_forward; }
    QList<BackRelation> backRelations() const { return m_back; }
    /// The counts shown, one per backRelations() item; empty while counting.
    QList<qint64> counts() const { return m_counts; }
    /// The referenced rows' names shown, one per forwardRelations() item (null: none).
    QStringList labels() const { return m_labels; }
    QLabel *forwardLabel(int i) const { return m_forwardLabels.value(i); }
    /// The button of back-relation `i` / forward relation `i` (tests, keyboard focus).
    QPushButton *backButton(int i) const { return m_backButtons.value(i); }
    QToolButton *forwardButton(int i) const { return m_forwardButtons.value(i); }

signals:
    /// "Open" on a foreign key: the referenced row (its table narrowed to that key).
    void openReferenced(const RelationTarget &target);
    /// A back-relation clicked: the referencing table, filtered to the rows pointing here.
    void openFiltered(const RelationTarget &target);
    /// The counts of the current row are shown (or failed: `error` not empty).
    void countsShown(const QString &error);

private:
    void rebuild();
    void startCount();
    void showFigures(const RelationQueries::Figures &figures);
    void showCounts(const QList<qint64> &counts);
    void showLabels(const QStringList &labels);
    void showCountError(const QString &message);
    QString columnsText(const QStringList &columns) const;

    DbExecutor &m_executor;
    SchemaCatalog m_catalog;
    QString m_schema;
    QString m_table;
    QVariantMap m_values;
    QString m_label;
    bool m_hasRow = false;
    QList<ForwardRelation> m_forward;
    QList<BackRelation> m_back;
    QList<qint64> m_counts;
    QStringList m_labels;
    quint64 m_generation = 0;
    std::optional<CancelToken> m_running;

    QTimer *m_debounce;
    QLabel *m_title;
    QWidget *m_content = nullptr;
    QVBoxLayout *m_contentLayout;
    QList<QToolButton *> m_forwardButtons;
    QList<QLabel *> m_forwardLabels;
    QList<QPushButton *> m_backButtons;
    QLabel *m_status = nullptr;
};

} // namespace ccpm
