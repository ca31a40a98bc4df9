#pragma once

#include "catalog.h"
#include "schemagraph.h"
#include "schemalayout.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>

class QComboBox;
class QGraphicsScene;
class QGraphicsView;
class QLabel;
class QToolBar;

namespace ccpm {

class DiagramEdgeItem;
class DiagramNodeItem;
struct DiagramMetrics;

/// Studio's schema diagram: the tables of one schema with their columns (PK, FK, UQ and NN
/// badges, types), an arrow per foreign key from the referencing column to the referenced one,
/// the enum types with their values (a dashed line from each column of that type). The
/// SchemaGraph comes from the catalog Studio already read; SchemaLayout (Graphviz `dot`) places
/// it on its own thread, and the scene is built when it is done (layoutFinished()).
///
/// Drag the background to pan, Ctrl+wheel or Ctrl++ / Ctrl+- to zoom, Ctrl+0 or Fit to see it
/// all. Clicking a table emits tableActivated(); hovering an arrow highlights it and the columns
/// at both ends. The diagram exports to SVG (text stays text) and PNG (twice the scene's
/// resolution). Errors (a failed layout, an export that cannot be written) show in the status
/// line and come back from the export calls. Thread: GUI.
class SchemaDiagramView : public QWidget {
    Q_OBJECT
public:
    explicit SchemaDiagramView(QWidget *parent = nullptr);
    ~SchemaDiagramView() override;

    /// Shows `schema` of `catalog` (laid out again); the schema box lists every schema.
    void setCatalog(const SchemaCatalog &catalog, const QString &schema);
    void showSchema(const QString &schema);
    QString schema() const { return m_graph.schema; }
    const SchemaGraph &graph() const { return m_graph; }
    /// The last layout (empty before the first layoutFinished()).
    const SchemaLayout &layout() const { return m_layout; }
    bool isLaidOut() const { return m_laidOut; }

    QGraphicsView *view() const { return m_view; }
    QGraphicsScene *scene() const { return m_scene; }
    /// The box of a node of graph() (nullptr before the layout).
    DiagramNodeItem *nodeItem(int node) const { return m_nodeItems.value(node); }
    /// The arrow of graph().edges[edge].
    DiagramEdgeItem *edgeItem(int edge) const { return m_edgeItems.value(edge); }
    /// The foreign key highlighted now, or -1.
    int highlightedEdge() const { return m_highlighted; }
    void highlightEdge(int edge); ///< -1 clears

    void fit();
    void zoomBy(qreal factor);
    qreal zoom() const;

    /// Writes the whole diagram; an Error with the reason when the file cannot be written.
    Status exportSvg(const QString &path) const;
    Status exportPng(const QString &path) const;

signals:
    void tableActivated(const QString &schema, const QString &name);
    void layoutFinished(bool ok, const QString &message);

private:
    void startLayout();
    void layoutDone();
    void buildScene();
    void chooseExport(bool svg);
    QString describe(int edge) const; ///< `tasks (assignedTo) → agents (id) · foreign key …`

    SchemaCatalog m_catalog;
    SchemaGraph m_graph;
    SchemaLayout m_layout;
    bool m_laidOut = false;
    quint64 m_generation = 0;
    std::unique_ptr<DiagramMetrics> m_metrics;
    QFutureWatcher<Result<SchemaLayout>> *m_watcher = nullptr;
    QList<DiagramNodeItem *> m_nodeItems;
    QList<DiagramEdgeItem *> m_edgeItems;
    int m_highlighted = -1;
    bool m_fitted = true; ///< until the user zooms: fit again when the window changes size
    QString m_summary;    ///< the status line when no arrow is hovered

    QToolBar *m_toolbar;
    QComboBox *m_schemas;
    QGraphicsScene *m_scene;
    QGraphicsView *m_view;
    QLabel *m_status;
};

} // namespace ccpm
