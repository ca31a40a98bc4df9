# shellcheck shell=bash
# Simulated agents for the hub benchmarks. Sourced; runs nothing by itself.
#
# ccpm_bench_make_agents N TOKEN_FILE DATABASE_URL [PSQL...]
#   Creates N agents sim-00001.. (type BOT, status INACTIVE), one agent token each and one
#   IN_PROGRESS task assigned to each, in one transaction, and writes the plaintext tokens to
#   TOKEN_FILE, one a line, in the agents' order (line i is sim-i's token). PSQL... is the psql
#   command to run (default: psql), e.g. `runuser -u postgres -- /usr/lib/postgresql/15/bin/psql`;
#   it is given DATABASE_URL as its database. The database must be migrated (`ccpm-desk db migrate`).
#   Running it again replaces the simulated agents, their tokens and their tasks.
#
# Tokens are made as `ccpm-desk agent token create` makes them (db/agenttoken.cpp): `ccpm_` and
# 256 random bits in unpadded base64url; agent_tokens.tokenHash is the lower-case hex SHA-256 of
# the token's UTF-8 bytes, computed here by PostgreSQL's sha256(). Ids are cuid-shaped (25
# characters, `c` and lower-case base36) so the backend's Prisma Client reads the rows: agents
# csimagent0000000000000001, tasks csimtask00..., tokens csimtoken0... Tasks are created by the
# first ADMIN user (else the first user; a user sim-admin, who cannot log in, if there is none).
ccpm_bench_make_agents() {
    local n=$1 token_file=$2 url=$3
    shift 3 || { echo "usage: ccpm_bench_make_agents N TOKEN_FILE DATABASE_URL [PSQL...]" >&2; return 2; }
    local psql=("$@")
    [ ${#psql[@]} -gt 0 ] || psql=(psql)
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "ccpm_bench_make_agents: N must be a positive number" >&2; return 2; }

    (umask 077 && python3 -c '
import base64, secrets, sys
for _ in range(int(sys.argv[1])):
    print("ccpm_" + base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode())
' "$n" >"$token_file") || return 1

    local width=$(( ${#n} > 5 ? ${#n} : 5 ))
    {
        cat <<SQL
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE sim_tokens (n integer PRIMARY KEY, token text NOT NULL) ON COMMIT DROP;
COPY sim_tokens (n, token) FROM STDIN;
SQL
        awk '{ print NR "\t" $0 }' "$token_file"
        cat <<SQL
\\.
DELETE FROM "tasks" WHERE "id" LIKE 'csimtask%';
DELETE FROM "agents" WHERE "id" LIKE 'csimagent%'; -- and their tokens (ON DELETE CASCADE)
INSERT INTO "users" ("id", "username", "email", "password", "role", "createdAt", "updatedAt")
SELECT 'csimadmin0000000000000000', 'sim-admin', 'sim-admin@bench.invalid', '!', 'ADMIN',
       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
WHERE NOT EXISTS (SELECT 1 FROM "users");
INSERT INTO "agents" ("id", "name", "type", "capabilities", "status", "metadata", "createdAt", "updatedAt")
SELECT 'csimagent' || lpad(i::text, 16, '0'), 'sim-' || lpad(i::text, $width, '0'), 'BOT', ARRAY['simulation'],
       'INACTIVE', '{"simulated": true}', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
FROM generate_series(1, $n) AS i;
INSERT INTO "agent_tokens" ("id", "agentId", "name", "tokenHash", "createdAt")
SELECT 'csimtoken' || lpad(n::text, 16, '0'), 'csimagent' || lpad(n::text, 16, '0'), 'bench',
       encode(sha256(convert_to(token, 'UTF8')), 'hex'), now() AT TIME ZONE 'UTC'
FROM sim_tokens;
INSERT INTO "tasks" ("id", "title", "description", "status", "priority", "createdBy", "assignedTo",
                     "createdAt", "updatedAt", "metadata", "progress")
SELECT 'csimtask' || lpad(i::text, 17, '0'), 'Simulated work ' || lpad(i::text, $width, '0'),
       'A task for the hub benchmark''s simulated agent', 'IN_PROGRESS', 'MEDIUM',
       (SELECT "id" FROM "users" ORDER BY ("role" = 'ADMIN') DESC, "createdAt", "id" LIMIT 1),
       'csimagent' || lpad(i::text, 16, '0'), now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', '{}', 0
FROM generate_series(1, $n) AS i;
COMMIT;
SQL
    } | "${psql[@]}" -X -q -d "$url" -f - >/dev/null
}
