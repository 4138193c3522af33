{#-
    pre-hook of the CTE-heavy intermediate models. On full builds every row is
    processed and hash joins are right, but PostgreSQL guesses the row counts
    of materialised CTEs (often 1) and may pick nested loops that grow with
    the square of the input: they are switched off for the transaction. On
    incremental runs the planner keeps them for index lookups of the few
    articles that changed.
-#}
{% macro hash_joins_on_full_builds() -%}
    {%- if is_incremental() -%}
        select 1
    {%- else -%}
        set local enable_nestloop = off
    {%- endif -%}
{%- endmacro %}

{#-
    post-hook of the intermediate tables that later models join: fresh
    statistics after a full build (a new table has none). Incremental runs
    add a small share of rows and leave it to autovacuum: ANALYZE of a large
    table costs more than the run itself.
-#}
{% macro analyze_after_full_build() -%}
    {%- if is_incremental() -%}
        select 1
    {%- else -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
