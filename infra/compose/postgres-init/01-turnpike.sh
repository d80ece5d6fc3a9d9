#!/bin/sh
# Runs once, when the postgres container initialises an empty data volume: the Turnpike database,
# its owner (who runs the migrations), the RLS-bound application login, the cross-tenant system
# login, metering's login (V19 grants its role metering's tables only), the developer portal's
# sessions-only login (V41: the portal's rows of web_sessions, nothing else), and Keycloak's database. The group roles are made here as V1 would make them, so the
# logins can join them; V1 then finds them and leaves them alone.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$TURNPIKE_DB_OWNER_PASSWORD" \
  -v app_password="$TURNPIKE_DB_PASSWORD" \
  -v system_password="$TURNPIKE_DB_SYSTEM_PASSWORD" \
  -v metering_password="$TURNPIKE_DB_METERING_PASSWORD" \
  -v portal_sessions_password="$TURNPIKE_DB_PORTAL_SESSIONS_PASSWORD" \
  -v keycloak_password="$KEYCLOAK_DB_PASSWORD" <<'SQL'
CREATE ROLE turnpike_app NOLOGIN NOBYPASSRLS;
CREATE ROLE turnpike_system NOLOGIN BYPASSRLS;
CREATE ROLE turnpike_metering NOLOGIN BYPASSRLS;
CREATE ROLE turnpike_portal_sessions NOLOGIN NOBYPASSRLS;
CREATE ROLE turnpike_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE turnpike_app_login LOGIN PASSWORD :'app_password' IN ROLE turnpike_app;
CREATE ROLE turnpike_system_login LOGIN BYPASSRLS PASSWORD :'system_password' IN ROLE turnpike_system;
CREATE ROLE turnpike_metering_login LOGIN BYPASSRLS PASSWORD :'metering_password' IN ROLE turnpike_metering;
CREATE ROLE turnpike_portal_sessions_login LOGIN NOBYPASSRLS PASSWORD :'portal_sessions_password' IN ROLE turnpike_portal_sessions;
CREATE DATABASE turnpike OWNER turnpike_owner;
CREATE ROLE keycloak LOGIN PASSWORD :'keycloak_password';
CREATE DATABASE keycloak OWNER keycloak;
SQL
