-- The developer portal's sessions (issue 21). The portal holds no login to the platform's data: it
-- is a client of the control plane's API. To keep its sessions in web_sessions (V38), so they
-- survive a restart and any portal instance serves any request, it gets a role of its own that
-- reaches that one table, and in it only the rows of the portal's site (its session cookie name,
-- turnpike_portal): a leaked portal login reads neither a tenant, a key, nor a console session.
--   turnpike_portal_sessions  the portal's session store: web_sessions, site turnpike_portal only.
-- As with V1's roles, operators may create it (and grant it to a login) beforehand. Its login must
-- not be BYPASSRLS: row-level security is what keeps it to the portal's rows.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'turnpike_portal_sessions') THEN
    CREATE ROLE turnpike_portal_sessions NOLOGIN NOBYPASSRLS;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO turnpike_portal_sessions;
GRANT SELECT, INSERT, UPDATE, DELETE ON web_sessions TO turnpike_portal_sessions;

-- Row-level security on web_sessions: the portal's role sees and writes its site's rows only. The
-- application role (the console's sessions) keeps every row, as before; BYPASSRLS logins and the
-- owner are not bound.
ALTER TABLE web_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE web_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY web_sessions_application ON web_sessions TO turnpike_app
  USING (true) WITH CHECK (true);
CREATE POLICY web_sessions_portal ON web_sessions TO turnpike_portal_sessions
  USING (site = 'turnpike_portal') WITH CHECK (site = 'turnpike_portal');
