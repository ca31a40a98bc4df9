#include "relationspanel.h"

#include "dbexecutor.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace ccpm {

namespace {

QString shortValue(const QVariant &value)
{
    if (value.isNull())
        return QStringLiteral("NULL");
    QString text = value.toString();
    if (text.size() > 28)
        text = text.left(27) + QChar(0x2026);
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

QLabel *sectionLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    label->setContentsMargins(0, 8, 0, 2);
    return label;
}

} // namespace

RelationsPanel::RelationsPanel(DbExecutor &executor, QWidget *parent)
    : QWidget(parent)
    , m_executor(executor)
    , m_debounce(new QTimer(this))
    , m_title(new QLabel(this))
{
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(150);
    connect(m_debounce, &QTimer::timeout, this, &RelationsPanel::startCount);

    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::PlainText);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *holder = new QWidget(scroll);
    m_contentLayout = new QVBoxLayout(holder);
    m_contentLayout->setContentsMargins(0, 0, 0, 0);
    m_contentLayout->addStretch();
    scroll->setWidget(holder);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(m_title);
    layout->addWidget(scroll, 1);
    setMinimumWidth(220);
    clearRow();
}

RelationsPanel::~RelationsPanel()
{
    if (m_running)
        m_executor.cancel(*m_running);
}

void RelationsPanel::setCatalog(const SchemaCatalog &catalog)
{
    m_catalog = catalog;
    if (m_hasRow)
        setRow(m_schema, m_table, m_values, m_label);
}

void RelationsPanel::setDebounce(int milliseconds)
{
    m_debounce->setInterval(milliseconds);
}

void RelationsPanel::setRow(const QString &schema, const QString &table, const QVariantMap &values,
                            const QString &label)
{
    m_schema = schema;
    m_table = table;
    m_values = values;
    m_label = label;
    m_hasRow = true;
    const CatalogTable *catalogTable = m_catalog.find(schema, table);
    m_forward =
        catalogTable ? RelationQueries::forward(m_catalog, *catalogTable, values) : QList<ForwardRelation>();
    m_back = catalogTable ? RelationQueries::back(m_catalog, *catalogTable, values) : QList<BackRelation>();
    m_counts.clear();
    m_labels.clear();
    ++m_generation; // an answer for an earlier row is dropped when it arrives
    if (m_running) {
        m_executor.cancel(*m_running);
        m_running.reset();
    }
    rebuild();
    if (!m_back.isEmpty() || !m_forward.isEmpty())
        m_debounce->start();
    else
        m_debounce->stop();
}

void RelationsPanel::clearRow()
{
    m_hasRow = false;
    m_forward.clear();
    m_back.clear();
    m_counts.clear();
    m_labels.clear();
    ++m_generation;
    m_debounce->stop();
    if (m_running) {
        m_executor.cancel(*m_running);
        m_running.reset();
    }
    rebuild();
}

QString RelationsPanel::columnsText(const QStringList &columns) const
{
    return columns.size() == 1
               ? columns.first()
               : QString(QLatin1Char('(') + columns.join(QStringLiteral(", ")) + QLatin1Char(')'));
}

void RelationsPanel::rebuild()
{
    m_forwardButtons.clear();
    m_forwardLabels.clear();
    m_backButtons.clear();
    m_status = nullptr;
    if (m_content) {
        m_contentLayout->removeWidget(m_content);
        delete m_content;
    }
    m_content = new QWidget(m_contentLayout->parentWidget());
    auto *grid = new QGridLayout(m_content);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(2);
    grid->setColumnStretch(0, 1);
    m_contentLayout->insertWidget(0, m_content);
    int row = 0;

    if (!m_hasRow) {
        m_title->setText(tr("Relations"));
        auto *none =
            new QLabel(tr("Select a row to see what it references and what points at it."), m_content);
        none->setWordWrap(true);
        grid->addWidget(none, row++, 0, 1, 2);
        return;
    }
    m_title->setText(m_label.isEmpty() ? tr("Relations of a row of %1").arg(m_table)
                                       : tr("Relations of %1").arg(m_label));
    if (m_forward.isEmpty() && m_back.isEmpty()) {
        auto *none = new QLabel(tr("This table has no foreign keys, and none point at it."), m_content);
        none->setWordWrap(true);
        grid->addWidget(none, row++, 0, 1, 2);
        return;
    }

    if (!m_forward.isEmpty()) {
        grid->addWidget(sectionLabel(tr("References"), m_content), row++, 0, 1, 2);
        for (int i = 0; i < m_forward.size(); ++i) {
            const ForwardRelation &relation = m_forward.at(i);
            const QString to = relation.key.toSchema == m_schema
                                   ? relation.key.toTable
                                   : QString(relation.key.toSchema + QLatin1Char('.') + relation.key.toTable);
            auto *label = new QLabel(m_content);
            label->setTextFormat(Qt::PlainText);
            label->setToolTip(tr("Foreign key %1").arg(relation.key.name));
            m_forwardLabels.append(label);
            auto *open = new QToolButton(m_content);
            open->setText(tr("Open"));
            open->setToolTip(relation.isNull ? tr("NULL: this row references nothing here")
                                             : tr("Open the referenced row of %1").arg(to));
            open->setEnabled(!relation.isNull);
            connect(open, &QToolButton::clicked, this, [this, i] {
                if (i < m_forward.size())
                    emit openReferenced(m_forward.at(i).target);
            });
            grid->addWidget(label, row, 0);
            grid->addWidget(open, row++, 1, Qt::AlignTop);
            m_forwardButtons.append(open);
        }
    }

    if (!m_back.isEmpty()) {
        grid->addWidget(sectionLabel(tr("Referenced by"), m_content), row++, 0, 1, 2);
        for (int i = 0; i < m_back.size(); ++i) {
            const BackRelation &relation = m_back.at(i);
            // A link-like button: keyboard-focusable, clickable, left-aligned
            auto *button = new QPushButton(m_content);
            button->setFlat(true);
            button->setCursor(Qt::PointingHandCursor);
            button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
            button->setStyleSheet(
                QStringLiteral("QPushButton { text-align: left; color: palette(link); border: none; "
                               "padding: 2px 0px; } QPushButton:hover { text-decoration: underline; }"));
            button->setToolTip(tr("Open %1 filtered to the rows pointing at this one (foreign key %2)")
                                   .arg(relation.key.fromTable, relation.key.name));
            connect(button, &QPushButton::clicked, this, [this, i] {
                if (i < m_back.size())
                    emit openFiltered(m_back.at(i).target);
            });
            grid->addWidget(button, row++, 0, 1, 2);
            m_backButtons.append(button);
        }
        m_status = new QLabel(m_content);
        m_status->setWordWrap(true);
        m_status->setTextFormat(Qt::PlainText);
        m_status->hide();
        grid->addWidget(m_status, row++, 0, 1, 2);
        showCounts({});
    }
    showLabels({});
}

void RelationsPanel::startCount()
{
    if (!m_hasRow || (m_back.isEmpty() && m_forward.isEmpty()))
        return;
    const quint64 generation = m_generation;
    CancelToken token;
    m_running = token;
    QCoro::connect(RelationQueries::read(m_executor, m_forward, m_back, kCountCap, token), this,
                   [this, generation](Result<RelationQueries::Figures> r) {
                       if (generation != m_generation)
                           return; // the row changed meanwhile: its own answer is on its way
                       m_running.reset();
                       if (r)
                           showFigures(*r);
                       else
                           showCountError(r.error().message);
                   });
}

void RelationsPanel::showFigures(const RelationQueries::Figures &figures)
{
    showLabels(figures.labels);
    showCounts(figures.counts);
    if (m_back.isEmpty())
        emit countsShown({});
}

void RelationsPanel::showLabels(const QStringList &labels)
{
    m_labels = labels;
    for (int i = 0; i < m_forward.size() && i < m_forwardLabels.size(); ++i) {
        const ForwardRelation &relation = m_forward.at(i);
        const QString to = relation.key.toSchema == m_schema
                               ? relation.key.toTable
                               : QString(relation.key.toSchema + QLatin1Char('.') + relation.key.toTable);
        QStringList values;
        for (const QVariant &value : relation.target.values)
            values << shortValue(value);
        const QString name = labels.value(i);
        QString second = QStringLiteral("= ") + values.join(QStringLiteral(", "));
        if (!name.isNull())
            second = shortValue(name) + QStringLiteral("  (") + second + QLatin1Char(')');
        m_forwardLabels.at(i)->setText(
            QStringLiteral("%1 → %2\n    %3").arg(columnsText(relation.key.fromColumns), to, second));
    }
}

void RelationsPanel::showCounts(const QList<qint64> &counts)
{
    m_counts = counts;
    const QLocale locale;
    for (int i = 0; i < m_back.size() && i < m_backButtons.size(); ++i) {
        const BackRelation &relation = m_back.at(i);
        const QString from =
            relation.key.fromSchema == m_schema
                ? relation.key.fromTable
                : QString(relation.key.fromSchema + QLatin1Char('.') + relation.key.fromTable);
        QString count = QStringLiteral("…");
        if (i < counts.size()) {
            count = counts.at(i) > kCountCap ? QString(locale.toString(kCountCap) + QLatin1Char('+'))
                                             : locale.toString(counts.at(i));
        }
        m_backButtons.at(i)->setText(
            QStringLiteral("%1.%2: %3").arg(from, columnsText(relation.key.fromColumns), count));
    }
    if (!counts.isEmpty())
        emit countsShown({});
}

void RelationsPanel::showCountError(const QString &message)
{
    if (m_status) {
        m_status->setText(tr("The related rows could not be counted: %1").arg(message));
        m_status->show();
    }
    emit countsShown(message);
}

} // namespace ccpm
