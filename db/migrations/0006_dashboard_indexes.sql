-- Migration 6: what the dashboard reads on millions of tasks (issue #5), measured with EXPLAIN
-- ANALYZE on 1,000,000 tasks (docs/performance.md).
-- Tasks by status and by priority: a parallel index-only scan instead of reading the whole table.
CREATE INDEX "tasks_status_priority_idx" ON "tasks"("status", "priority");
-- Tasks completed per UTC day over the last 14 days: a range on "completedAt" (NULL until then).
CREATE INDEX "tasks_completedAt_idx" ON "tasks"("completedAt") WHERE "completedAt" IS NOT NULL;
-- The longest-open tasks: the oldest of those neither COMPLETED nor FAILED, without walking past
-- years of finished ones first.
CREATE INDEX "tasks_open_createdAt_idx" ON "tasks"("createdAt", "id")
    WHERE "status" NOT IN ('COMPLETED', 'FAILED');
