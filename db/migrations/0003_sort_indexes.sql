-- Migration 3: indexes for the views' default sort (newest first), so that the first screen of
-- a table of millions of rows is one short index range scan (keyset pagination, issue #3).
CREATE INDEX "tasks_createdAt_idx" ON "tasks"("createdAt");
CREATE INDEX "messages_createdAt_idx" ON "messages"("createdAt");
