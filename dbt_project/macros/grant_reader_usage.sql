{#-
    on-run-end: the reader role may use the `marts` schema (table SELECT comes
    from the `grants` config on each mart) and nothing else.  Skipped with a
    log line when the role does not exist (migration 0003 could not create it).
-#}
{% macro grant_reader_usage() -%}
    {%- if execute and flags.WHICH in ('run', 'build', 'run-operation', 'seed') -%}
        {%- set role = env_var('NEWSFLOW_READER_ROLE', 'newsflow_reader') -%}
        {%- set exists_query -%}
            select count(*) from pg_roles where rolname = '{{ role }}'
        {%- endset -%}
        {%- set found = run_query(exists_query).columns[0].values()[0] -%}
        {%- if found | int > 0 -%}
            {%- set marts_exists = run_query(
                "select count(*) from pg_namespace where nspname = 'marts'"
            ).columns[0].values()[0] -%}
            {%- if marts_exists | int > 0 -%}
                {%- do run_query('grant usage on schema marts to "' ~ role ~ '"') -%}
            {%- endif -%}
        {%- else -%}
            {{ log("role " ~ role ~ " does not exist: skipping the grant on schema marts", info=true) }}
        {%- endif -%}
    {%- endif -%}
    select 1
{%- endmacro %}
