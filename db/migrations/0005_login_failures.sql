-- Migration 5: failed logins, for the lock after 5 failures per username within a minute
-- (issue #5). In the database rather than in memory, so that every CCPM Desk on the database
-- counts the same attempts and a restart does not reset them. Rows older than a day are pruned
-- by the next failure.
CREATE TABLE "login_failures" (
    "login" TEXT NOT NULL,
    "failedAt" TIMESTAMP(3) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX "login_failures_login_failedAt_idx" ON "login_failures"("login", "failedAt");
