-- Sessions of the server-rendered sites (the owner console; issue 21): kept here rather than in a
-- process's memory, so a session survives a restart and any instance behind a round-robin balancer
-- serves any request. Not tenant-owned: a session belongs to a browser, and it may not have signed
-- in, so it carries no tenant_id and no row-level security; only the application role reads it.
CREATE TABLE web_sessions (
  -- The site's session cookie name: two sites' sessions never meet, even on one database.
  site       text NOT NULL CHECK (char_length(site) BETWEEN 1 AND 64),
  id         text NOT NULL CHECK (char_length(id) BETWEEN 1 AND 256),
  -- Bumped by every write; a write based on an older version is refused (optimistic concurrency).
  version    integer NOT NULL,
  expires_at timestamptz NOT NULL,
  -- Vert.x's own session encoding (id, timeout, last access, version, attributes).
  data       bytea NOT NULL,
  PRIMARY KEY (site, id)
);
-- The pruner deletes expired sessions oldest first, a bounded batch at a time.
CREATE INDEX web_sessions_expiry_idx ON web_sessions (site, expires_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON web_sessions TO turnpike_app;
