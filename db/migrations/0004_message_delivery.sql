-- Migration 4: live messages to agents (agent protocol, message.received). The hub sends a
-- message addressed to an agent while the agent is connected, or else on its next connection;
-- a row here records that it was sent, so nothing is sent twice and nothing is skipped.
CREATE TABLE "message_deliveries" (
    "messageId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "deliveredAt" TIMESTAMP(3) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),

    CONSTRAINT "message_deliveries_pkey" PRIMARY KEY ("messageId"),
    CONSTRAINT "message_deliveries_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "messages"("id")
        ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "message_deliveries_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "agents"("id")
        ON DELETE CASCADE ON UPDATE CASCADE
);

-- An agent's inbox: messages addressed to it, oldest first.
CREATE INDEX "messages_receiver_idx" ON "messages"("receiverId", "createdAt") WHERE "receiverType" = 'AGENT';

-- Messages written before the hub delivered anything are history, not news: they count as
-- delivered, so an agent's first connection does not replay the database's past.
INSERT INTO "message_deliveries" ("messageId", "agentId")
SELECT m."id", m."receiverId" FROM "messages" m
JOIN "agents" a ON a."id" = m."receiverId"
WHERE m."receiverType" = 'AGENT';
