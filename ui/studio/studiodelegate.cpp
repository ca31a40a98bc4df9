#include "studiodelegate.h"

#include "arrayeditor.h"
#include "byteaeditor.h"
#include "itemroles.h"
#include "jsoneditor.h"
#include "pagedtablemodel.h"
#include "sqlvalues.h"
#include "valuetext.h"

#include <QAbstractItemView>
#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QLineEdit>
#include <QPainter>
#include <QPlainTextEdit>
#include <QUndoStack>
#include <QVBoxLayout>

namespace ccpm {

namespace {

using Type = ColumnSpec::Type;

const QColor kNullColor(150, 150, 150);
const QColor kDefaultColor(40, 90, 170);

// Multi-line text: a QLineEdit would join the lines.
class TextPopup : public PopupEditor {
public:
    explicit TextPopup(const ColumnSpec &column, QWidget *parent)
        : PopupEditor(parent)
        , m_column(column)
    {
        m_edit = new QPlainTextEdit(this);
        body()->addWidget(m_edit);
        watchKeys(m_edit);
        setFocusProxy(m_edit);
        connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
            setModified(true);
            check();
        });
        check();
    }
    void setText(const QString &text)
    {
        m_edit->setPlainText(text);
        setModified(false);
        check();
    }
    QString text() const { return m_edit->toPlainText(); }

private:
    void check()
    {
        const QString problem = m_column.problem(m_column.fromEdit(text()));
        setStatus(problem.isEmpty(),
                  problem.isEmpty() ? StudioDelegate::tr("%1 lines.").arg(text().count(QLatin1Char('\n')) + 1)
                                    : problem);
    }

    ColumnSpec m_column;
    QPlainTextEdit *m_edit = nullptr;
};

bool isPopup(const QWidget *editor)
{
    return qobject_cast<const PopupEditor *>(editor) != nullptr;
}

std::optional<QStringList> arrayValue(const QModelIndex &index)
{
    const QVariant raw = index.data(roles::RawValue);
    if (raw.typeId() == QMetaType::QStringList)
        return raw.toStringList();
    const QVariant edit = index.data(Qt::EditRole);
    if (edit.typeId() == QMetaType::QStringList)
        return edit.toStringList();
    if (!edit.isValid() || edit.isNull() || sql::isColumnDefault(edit))
        return std::nullopt;
    return valuetext::jsonArrayElements(edit.toString());
}

} // namespace

StudioDelegate::StudioDelegate(QObject *parent)
    : CellStyleDelegate(parent)
{
}

void StudioDelegate::setSpec(const TableSpec &spec)
{
    m_spec = spec;
    m_hasSpec = true;
}

const ColumnSpec *StudioDelegate::columnOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    const QList<ColumnSpec> *columns = nullptr;
    if (m_hasSpec)
        columns = &m_spec.columns;
    else if (const auto *model = qobject_cast<const PagedTableModel *>(index.model()))
        columns = &model->spec().columns;
    if (!columns || index.column() >= columns->size())
        return nullptr;
    return &columns->at(index.column());
}

QString StudioDelegate::formatHint(const ColumnSpec &column)
{
    switch (column.type) {
    case Type::ZonedTimestamp:
    case Type::Timestamp: {
        const int offset = QDateTime::currentDateTime().offsetFromUtc();
        return tr("yyyy-MM-dd HH:mm:ss, local time (UTC%1)").arg(valuetext::offsetDisplay(offset));
    }
    case Type::LocalTimestamp:
        return tr("yyyy-MM-dd HH:mm:ss, no time zone: stored as typed");
    case Type::Date:
        return tr("yyyy-MM-dd");
    case Type::Time:
        return column.sqlType.contains(QLatin1String("with time zone")) ? tr("HH:mm:ss+hh") : tr("HH:mm:ss");
    case Type::Interval:
        return tr("1 mon 2 days 03:04:05, 90 minutes, P1DT2H");
    case Type::Uuid:
        return QStringLiteral("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
    case Type::Inet:
        return tr("192.168.0.1, 10.0.0.0/8 or ::1/128");
    case Type::Decimal:
        return tr("a number: 83261.85, -0.000001, 1e-30, NaN");
    case Type::Integer:
        return tr("a whole number");
    case Type::Bytea:
        return QStringLiteral("\\x0a1b2c");
    default:
        return {};
    }
}

StudioDelegate::Mark StudioDelegate::markOf(const QModelIndex &index) const
{
    if (sql::isColumnDefault(index.data(roles::RawValue)) || sql::isColumnDefault(index.data(Qt::EditRole)))
        return Mark::Default;
    // What the cell holds, new rows included: a new row's column left to its default holds
    // sql::columnDefault() when the spec's `initial` says so, and then shows DEFAULT.
    return index.data(Qt::DisplayRole).isValid() ? Mark::None : Mark::Null;
}

void StudioDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    CellStyleDelegate::initStyleOption(option, index);
    if (const ColumnSpec *column = columnOf(index);
        column && (column->type == Type::Integer || column->type == Type::Decimal))
        option->displayAlignment = Qt::AlignRight | Qt::AlignVCenter;
    const Mark mark = markOf(index);
    if (mark == Mark::None)
        return;
    option->features |= QStyleOptionViewItem::HasDisplay;
    option->text = mark == Mark::Null ? QStringLiteral("NULL") : QStringLiteral("DEFAULT");
    option->font.setItalic(true);
    const QColor color = mark == Mark::Null ? kNullColor : kDefaultColor;
    if (index.data(roles::Problem).toString().isEmpty())
        option->palette.setColor(QPalette::Text, color);
}

void StudioDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                           const QModelIndex &index) const
{
    CellStyleDelegate::paint(painter, option, index);
    const ColumnSpec *column = columnOf(index);
    if (!column || column->type != Type::LocalTimestamp || markOf(index) != Mark::None)
        return;
    // A timestamp without time zone: the value as stored, and a tag saying it has no zone.
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    QFont small = opt.font;
    small.setPointSizeF(small.pointSizeF() * 0.8);
    const QString tag = tr("no zone");
    const int textWidth = QFontMetrics(opt.font).horizontalAdvance(opt.text);
    const int tagWidth = QFontMetrics(small).horizontalAdvance(tag);
    const QRect area = opt.rect.adjusted(4, 0, -4, 0);
    if (area.width() < textWidth + tagWidth + 16)
        return;
    painter->save();
    painter->setFont(small);
    painter->setPen(opt.state & QStyle::State_Selected ? opt.palette.color(QPalette::HighlightedText)
                                                       : kNullColor);
    painter->drawText(area, Qt::AlignRight | Qt::AlignVCenter, tag);
    painter->restore();
}

QWidget *StudioDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                      const QModelIndex &index) const
{
    const ColumnSpec *column = columnOf(index);
    if (!column)
        return CellStyleDelegate::createEditor(parent, option, index);
    auto *self = const_cast<StudioDelegate *>(this);
    auto popup = [self](PopupEditor *editor) {
        connect(editor, &PopupEditor::accepted, self, [self, editor] {
            emit self->commitData(editor);
            emit self->closeEditor(editor, QAbstractItemDelegate::NoHint);
        });
        connect(editor, &PopupEditor::rejected, self,
                [self, editor] { emit self->closeEditor(editor, QAbstractItemDelegate::RevertModelCache); });
        return editor;
    };
    switch (column->type) {
    case Type::Enum:
    case Type::Boolean: {
        auto *combo = new QComboBox(parent);
        if (column->nullable)
            combo->addItem(QStringLiteral("NULL"));
        if (column->type == Type::Boolean) {
            combo->addItem(QStringLiteral("true"), QStringLiteral("true"));
            combo->addItem(QStringLiteral("false"), QStringLiteral("false"));
        } else {
            for (const QString &value : column->values)
                combo->addItem(column->label ? column->label(value) : value, value);
        }
        if (column->nullable) {
            QFont italic = combo->font();
            italic.setItalic(true);
            combo->setItemData(0, italic, Qt::FontRole);
            combo->setItemData(0, kNullColor, Qt::ForegroundRole);
        }
        connect(combo, &QComboBox::activated, self, [self, combo] {
            emit self->commitData(combo);
            emit self->closeEditor(combo, QAbstractItemDelegate::NoHint);
        });
        return combo;
    }
    case Type::Json:
        return popup(new JsonEditor(*column, parent));
    case Type::Array:
    case Type::TextArray:
        return popup(new ArrayEditor(*column, parent));
    case Type::Bytea:
        return popup(new ByteaEditor(*column, parent));
    case Type::Reference:
    case Type::Timestamp:
        return CellStyleDelegate::createEditor(parent, option, index);
    case Type::Text:
    case Type::Other:
        if (index.data(Qt::EditRole).toString().contains(QLatin1Char('\n')))
            return popup(new TextPopup(*column, parent));
        break;
    default:
        break;
    }
    auto *edit = new QLineEdit(parent);
    edit->setFrame(false);
    const ColumnSpec spec = *column;
    connect(edit, &QLineEdit::textChanged, edit, [edit, spec](const QString &text) {
        const QString problem = spec.problem(spec.fromEdit(text));
        QPalette p = edit->palette();
        p.setColor(QPalette::Text, problem.isEmpty() ? edit->parentWidget()->palette().color(QPalette::Text)
                                                     : QColor(170, 0, 0));
        edit->setPalette(p);
        edit->setToolTip(problem);
    });
    return edit;
}

void StudioDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    const ColumnSpec *column = columnOf(index);
    if (!column) {
        CellStyleDelegate::setEditorData(editor, index);
        return;
    }
    const Mark mark = markOf(index);
    const QVariant edit = index.data(Qt::EditRole);
    const QString text = mark == Mark::None ? edit.toString() : QString();
    if (auto *combo = qobject_cast<QComboBox *>(editor)) {
        QString value = edit.toString();
        if (column->type == Type::Boolean) {
            const QVariant raw = index.data(roles::RawValue);
            value = raw.typeId() == QMetaType::Bool ? sql::boolText(raw.toBool())
                                                    : column->fromEdit(edit).toString();
        }
        const int found = mark == Mark::None ? combo->findData(value) : -1;
        combo->setCurrentIndex(found >= 0 ? found : 0);
    } else if (auto *json = qobject_cast<JsonEditor *>(editor)) {
        json->setText(text);
    } else if (auto *array = qobject_cast<ArrayEditor *>(editor)) {
        array->setElements(mark == Mark::None ? arrayValue(index) : std::nullopt);
    } else if (auto *bytea = qobject_cast<ByteaEditor *>(editor)) {
        bytea->setText(text);
    } else if (auto *popup = dynamic_cast<TextPopup *>(editor)) {
        popup->setText(text);
    } else if (auto *line = qobject_cast<QLineEdit *>(editor)) {
        QString hint = formatHint(*column);
        if (mark != Mark::None)
            hint = (mark == Mark::Null ? QStringLiteral("NULL") : QStringLiteral("DEFAULT")) +
                   (hint.isEmpty() ? QString() : QStringLiteral(" · ") + hint);
        line->setPlaceholderText(hint);
        line->setText(text);
        line->setModified(false);
    } else {
        CellStyleDelegate::setEditorData(editor, index);
    }
}

void StudioDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    const ColumnSpec *column = columnOf(index);
    if (!column) {
        CellStyleDelegate::setModelData(editor, model, index);
        return;
    }
    if (auto *combo = qobject_cast<QComboBox *>(editor)) {
        model->setData(index, combo->currentData(), Qt::EditRole); // the NULL entry has no data: SQL NULL
    } else if (const auto *popup = qobject_cast<const PopupEditor *>(editor); popup && !popup->isModified()) {
        return; // closed unchanged: nothing to stage
    } else if (auto *json = qobject_cast<JsonEditor *>(editor)) {
        model->setData(index, json->text(), Qt::EditRole);
    } else if (auto *array = qobject_cast<ArrayEditor *>(editor)) {
        model->setData(index, array->elements(), Qt::EditRole);
    } else if (auto *bytea = qobject_cast<ByteaEditor *>(editor)) {
        model->setData(index, bytea->text(), Qt::EditRole);
    } else if (auto *text = dynamic_cast<TextPopup *>(editor)) {
        model->setData(index, text->text(), Qt::EditRole);
    } else if (auto *line = qobject_cast<QLineEdit *>(editor)) {
        if (line->isModified())
            model->setData(index, line->text(), Qt::EditRole);
    } else {
        CellStyleDelegate::setModelData(editor, model, index);
    }
}

void StudioDelegate::updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                                          const QModelIndex &index) const
{
    if (!isPopup(editor)) {
        CellStyleDelegate::updateEditorGeometry(editor, option, index);
        return;
    }
    QSize size = editor->sizeHint().expandedTo(QSize(460, 280));
    if (qobject_cast<ByteaEditor *>(editor))
        size = size.expandedTo(QSize(640, 380));
    QRect rect(option.rect.topLeft(), size);
    if (const QWidget *parent = editor->parentWidget()) {
        const QRect bounds = parent->rect();
        rect.setSize(rect.size().boundedTo(bounds.size()));
        if (rect.right() > bounds.right())
            rect.moveRight(bounds.right());
        if (rect.bottom() > bounds.bottom())
            rect.moveBottom(bounds.bottom());
        rect.moveTopLeft(QPoint(std::max(rect.left(), bounds.left()), std::max(rect.top(), bounds.top())));
    }
    editor->setGeometry(rect);
}

QList<QAction *> StudioDelegate::createCellActions(QAbstractItemView *view)
{
    auto *setNull = new QAction(tr("Set to NULL"), view);
    setNull->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    auto *setDefault = new QAction(tr("Set to DEFAULT"), view);
    setDefault->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    for (QAction *action : {setNull, setDefault}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        view->addAction(action);
    }
    // The selected editable cells whose column allows it (the current cell without a selection).
    auto targets = [this, view](bool toDefault) {
        QModelIndexList out;
        if (!view->model())
            return out;
        QModelIndexList chosen;
        if (view->selectionModel())
            chosen = view->selectionModel()->selectedIndexes();
        if (chosen.isEmpty() && view->currentIndex().isValid())
            chosen << view->currentIndex();
        for (const QModelIndex &index : std::as_const(chosen)) {
            const ColumnSpec *column = columnOf(index);
            if (column && (index.flags() & Qt::ItemIsEditable) && !column->generated &&
                (toDefault ? column->hasDefault : column->nullable))
                out << index;
        }
        return out;
    };
    auto apply = [view, targets](bool toDefault) {
        const QModelIndexList cells = targets(toDefault);
        if (cells.isEmpty())
            return;
        auto *paged = qobject_cast<PagedTableModel *>(view->model());
        if (paged)
            paged->undoStack()->beginMacro(toDefault ? tr("Set to DEFAULT") : tr("Set to NULL"));
        for (const QModelIndex &index : cells)
            view->model()->setData(index, toDefault ? sql::columnDefault() : QVariant(), Qt::EditRole);
        if (paged)
            paged->undoStack()->endMacro();
    };
    connect(setNull, &QAction::triggered, view, [apply] { apply(false); });
    connect(setDefault, &QAction::triggered, view, [apply] { apply(true); });
    auto update = [setNull, setDefault, targets] {
        setNull->setEnabled(!targets(false).isEmpty());
        setDefault->setEnabled(!targets(true).isEmpty());
    };
    if (view->selectionModel()) {
        connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, setNull, update);
        connect(view->selectionModel(), &QItemSelectionModel::currentChanged, setNull, update);
    }
    update();
    return {setNull, setDefault};
}

} // namespace ccpm
