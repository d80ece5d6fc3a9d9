/**
 * The developer portal process. The portal is a client of the control plane's API and reads and
 * writes the platform's data only through it (ARCHITECTURE: the portal has no database access).
 *
 * <p>One deliberate deviation, for issue 21 (sessions survive a restart, any instance serves any
 * request): {@link dev.turnpike.portal.PortalSessions} may keep the portal's sessions in
 * PostgreSQL, through a login of their own in role {@code turnpike_portal_sessions} (migration
 * V41). That role is granted table {@code web_sessions} and nothing else, and row-level security
 * keeps it to the portal's rows ({@code site = 'turnpike_portal'}): the login reaches no tenant,
 * key, user or console session, so the portal still holds none of the platform's data. It is the
 * only class here that touches a database ({@code ArchitectureTest}); without the settings the
 * sessions stay in the process's memory.
 */
package dev.turnpike.portal;
