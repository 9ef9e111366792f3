-- Finer roles: finance and read-only members, network operations and support staff.
--
-- `users.role` keeps the four kinds its first CHECK allows (SQLite cannot change a CHECK
-- without rebuilding the table, which would cascade into sessions and tokens), and still
-- decides whether the person belongs to an organisation. `full_role` is the role itself;
-- the store reads COALESCE(full_role, role) and writes both.
ALTER TABLE users ADD COLUMN full_role TEXT CHECK (full_role IN (
    'buyer', 'org-admin', 'finance', 'read-only', 'sales-engineer', 'admin', 'network-operations', 'support'
));

-- An organisation's admins read its own audit log, newest first.
CREATE INDEX audit_log_by_organisation ON audit_log (organisation_id, at_ms);
