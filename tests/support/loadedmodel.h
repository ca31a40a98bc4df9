#pragma once

#include "pagedtablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

/// A PagedTableModel over `spec`, loaded the way a view loads it (waits until `rows` rows are
/// there and counted), checked by QAbstractItemModelTester all along, with helpers for the
/// editing tests. For test programs that link ccpm_models. Thread: the test's.
struct LoadedModel {
    LoadedModel(ccpm::DbExecutor &executor, ccpm::TableSpec spec, int rows)
        : model(executor, std::move(spec))
        , tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest)
        , saved(&model, &ccpm::PagedTableModel::saveFinished)
    {
        model.reload();
        for (int i = 0;
             i < 400 && !(model.rowCount() == rows && model.countIsExact() && model.isLoaded(rows - 1)); ++i)
            QTest::qWait(10);
    }
    QModelIndex cell(const QString &id, int column) const { return model.index(model.rowOf(id), column); }
    ccpm::roles::CellState state(const QString &id, int column) const
    {
        return ccpm::roles::CellState(cell(id, column).data(ccpm::roles::EditState).toInt());
    }
    /// Saves and waits; the arguments of saveFinished.
    QVariantList save()
    {
        const qsizetype before = saved.size();
        model.save();
        for (int i = 0; i < 500 && saved.size() == before; ++i)
            QTest::qWait(10);
        return saved.size() > before ? saved.last() : QVariantList{false, "no answer", -1};
    }

    ccpm::PagedTableModel model;
    QAbstractItemModelTester tester;
    QSignalSpy saved;
};
