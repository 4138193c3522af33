#!/bin/bash
# First start of the postgres container only (docker-entrypoint-initdb.d):
# Airflow's metadata database and Metabase's application database beside the
# warehouse, and the dashboards' login in the read-only group role that
# migration 0003 grants SELECT on the marts (created here first, NOLOGIN,
# exactly as the migration would).  Passwords come from the environment.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v airflow_db="${AIRFLOW_DB_NAME:-newsflow_airflow}" \
    -v metabase_db="${METABASE_DB_NAME:-metabase}" \
    -v reader_user="${NEWSFLOW_READER_USER:-newsflow_dashboard}" \
    -v reader_password="${NEWSFLOW_READER_PASSWORD:?NEWSFLOW_READER_PASSWORD is required}" <<'SQL'
select format('create database %I', :'airflow_db') \gexec
select format('create database %I', :'metabase_db') \gexec
do $$ begin
    if not exists (select 1 from pg_roles where rolname = 'newsflow_reader') then
        create role newsflow_reader nologin;
    end if;
end $$;
select format('create role %I login password %L in role newsflow_reader', :'reader_user', :'reader_password') \gexec
SQL
