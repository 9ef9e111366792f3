-- When a session last proved its person's second factor (at sign-in or by "Confirm it's
-- you"): sensitive changes ask people who have an authenticator app for a code once this is
-- more than 15 minutes old. NULL: never in this session.
ALTER TABLE sessions ADD COLUMN factor_proven_at_ms BIGINT;
