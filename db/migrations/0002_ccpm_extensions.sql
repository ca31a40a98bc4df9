-- Migration 2: what CCPM Desk adds. Only what the backend's Prisma Client cannot trip over:
-- indexes, and columns and tables that are nullable or have a default.

-- The backend's schema has no index on any foreign-key column.
CREATE INDEX "tasks_createdBy_idx" ON "tasks"("createdBy");
CREATE INDEX "tasks_assignedTo_idx" ON "tasks"("assignedTo");
CREATE INDEX "messages_taskId_idx" ON "messages"("taskId");
CREATE INDEX "sessions_userId_idx" ON "sessions"("userId");

-- Task progress in percent, reported by agents.
ALTER TABLE "tasks" ADD COLUMN "progress" SMALLINT NOT NULL DEFAULT 0
    CONSTRAINT "tasks_progress_range" CHECK ("progress" BETWEEN 0 AND 100);

-- When an agent was last heard from over the hub (UTC wall-clock time, like every TIMESTAMP(3)).
ALTER TABLE "agents" ADD COLUMN "lastSeenAt" TIMESTAMP(3);

-- Agent access tokens. Only the SHA-256 of a token is stored; the token itself is shown once.
CREATE TABLE "agent_tokens" (
    "id" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "agent_tokens_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "agent_tokens_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "agents"("id")
        ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "agent_tokens_tokenHash_key" ON "agent_tokens"("tokenHash");
CREATE INDEX "agent_tokens_agentId_idx" ON "agent_tokens"("agentId");
