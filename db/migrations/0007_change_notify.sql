-- Migration 7: every desk follows every change live (issue #7). Statement-level triggers with
-- transition tables announce on channel "ccpm_changes" which rows a statement changed:
--   {"t":"tasks","op":"U","ids":["..",".."],"o":"<origin>"}  at most 100 ids per payload
--   {"t":"tasks","op":"*","o":"<origin>"}                     more than 200 rows, or TRUNCATE
-- One statement costs at most 3 notifications (a COPY of a million rows costs one), and a
-- payload stays under 3,500 bytes with cuids (the origin is cut to 64 characters), and one that
-- would pass 7,000 bytes (unusually long ids) becomes a table-changed event: never near
-- PostgreSQL's 8,000-byte limit, where pg_notify would fail the writer's statement. "o" is the writer's ccpm.origin setting (each desk connection
-- sets it; empty for the backend and psql), so a desk can skip its own changes.
-- Notifications are sent at commit and only then; a rolled-back statement announces nothing.
CREATE FUNCTION "ccpm_notify_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    origin text := left(coalesce(current_setting('ccpm.origin', true), ''), 64);
    op text := left(TG_OP, 1);
    ids text[];
    payload text;
    chunk int := 100;
    threshold int := 200;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('ccpm_changes', json_build_object('t', TG_TABLE_NAME, 'op', '*', 'o', origin)::text);
        RETURN NULL;
    END IF;
    -- Read at most threshold + 1 ids: a bulk statement is never scanned through.
    IF TG_OP = 'DELETE' THEN
        SELECT array_agg("id") INTO ids FROM (SELECT "id" FROM ccpm_old LIMIT threshold + 1) s;
    ELSE
        SELECT array_agg("id") INTO ids FROM (SELECT "id" FROM ccpm_new LIMIT threshold + 1) s;
    END IF;
    IF ids IS NULL THEN
        RETURN NULL; -- no row changed
    END IF;
    IF cardinality(ids) > threshold THEN
        PERFORM pg_notify('ccpm_changes', json_build_object('t', TG_TABLE_NAME, 'op', '*', 'o', origin)::text);
        RETURN NULL;
    END IF;
    FOR i IN 1 .. cardinality(ids) BY chunk LOOP
        payload := json_build_object('t', TG_TABLE_NAME, 'op', op, 'ids', to_json(ids[i : i + chunk - 1]),
                                     'o', origin)::text;
        IF octet_length(payload) > 7000 THEN -- unusually long ids: never fail the writer's statement
            payload := json_build_object('t', TG_TABLE_NAME, 'op', '*', 'o', origin)::text;
            PERFORM pg_notify('ccpm_changes', payload);
            RETURN NULL;
        END IF;
        PERFORM pg_notify('ccpm_changes', payload);
    END LOOP;
    RETURN NULL;
END
$$;
CREATE TRIGGER "users_notify_insert" AFTER INSERT ON "users" REFERENCING NEW TABLE AS ccpm_new
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "users_notify_update" AFTER UPDATE ON "users" REFERENCING NEW TABLE AS ccpm_new
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "users_notify_delete" AFTER DELETE ON "users" REFERENCING OLD TABLE AS ccpm_old
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "users_notify_truncate" AFTER TRUNCATE ON "users"
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "agents_notify_insert" AFTER INSERT ON "agents" REFERENCING NEW TABLE AS ccpm_new
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "agents_notify_update" AFTER UPDATE ON "agents" REFERENCING NEW TABLE AS ccpm_new
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "agents_notify_delete" AFTER DELETE ON "agents" REFERENCING OLD TABLE AS ccpm_old
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "agents_notify_truncate" AFTER TRUNCATE ON "agents"
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "tasks_notify_insert" AFTER INSERT ON "tasks" REFERENCING NEW TABLE AS ccpm_new
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "tasks_notify_update" AFTER UPDATE ON "tasks" REFERENCING NEW TABLE AS ccpm_new
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "tasks_notify_delete" AFTER DELETE ON "tasks" REFERENCING OLD TABLE AS ccpm_old
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "tasks_notify_truncate" AFTER TRUNCATE ON "tasks"
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "messages_notify_insert" AFTER INSERT ON "messages" REFERENCING NEW TABLE AS ccpm_new
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "messages_notify_update" AFTER UPDATE ON "messages" REFERENCING NEW TABLE AS ccpm_new
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "messages_notify_delete" AFTER DELETE ON "messages" REFERENCING OLD TABLE AS ccpm_old
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "messages_notify_truncate" AFTER TRUNCATE ON "messages"
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "sessions_notify_insert" AFTER INSERT ON "sessions" REFERENCING NEW TABLE AS ccpm_new
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "sessions_notify_update" AFTER UPDATE ON "sessions" REFERENCING NEW TABLE AS ccpm_new
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "sessions_notify_delete" AFTER DELETE ON "sessions" REFERENCING OLD TABLE AS ccpm_old
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
CREATE TRIGGER "sessions_notify_truncate" AFTER TRUNCATE ON "sessions"
    FOR EACH STATEMENT EXECUTE FUNCTION "ccpm_notify_changes"();
