{#-
    pre-hook of the CTE-heavy intermediate models. PostgreSQL guesses the row
    counts of materialised CTEs (often 1) and then picks nested loops whose
    cost grows with the square of the batch (a self-join of 40,000 mentions
    per sentence took minutes). Hash joins are linear at every size here, so
    nested loops are switched off for the model's transaction, on full and
    incremental runs alike; a scan of the raw mention tables costs less than
    one bad plan.
-#}
{% macro hash_joins_only() -%}
    set local enable_nestloop = off
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
