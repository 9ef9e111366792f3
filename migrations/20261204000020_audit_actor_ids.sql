-- The audit log names who acted by ids (issue 25): the person's account and, when the change
-- came through the REST API, the token's id, with the token's name and prefix kept beside as
-- data. A token's self-chosen name can no longer read as, or be filtered as, another person.
-- Entries written before keep their combined "email (API token “name”, prefix)" label.
ALTER TABLE audit_log ADD COLUMN actor_token_id TEXT;
ALTER TABLE audit_log ADD COLUMN actor_token_name TEXT;
ALTER TABLE audit_log ADD COLUMN actor_token_prefix TEXT;

CREATE INDEX audit_log_by_actor ON audit_log (actor_id, at_ms);
