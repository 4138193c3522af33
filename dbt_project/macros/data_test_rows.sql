{#-
    Which rows the data tests check.

    The per-batch build (the `frequent` selector; Airflow's news_transform)
    tests what the batch wrote: on an incremental model, the rows of the
    model's latest write, which all carry its largest watermark_xmin (after a
    full build, every row). Older rows were tested when they were written,
    and nothing else changes them: edited coding seeds make every
    incremental model rewrite all its rows (macros/incremental_window.sql).
    So a batch's tests cost what the batch costs, not what the warehouse
    holds. Every other build (nightly, CI, by hand) tests every row.

    --vars '{data_test_rows: all}' (or latest_write) overrides the default.
-#}
{% macro data_test_rows() -%}
    {%- set default = 'latest_write' if invocation_args_dict.get('selector') == 'frequent' else 'all' -%}
    {%- set scope = var('data_test_rows', default) -%}
    {%- if scope not in ['all', 'latest_write'] -%}
        {{ exceptions.raise_compiler_error("data_test_rows must be 'all' or 'latest_write', not " ~ scope) }}
    {%- endif -%}
    {{- return(scope) -}}
{%- endmacro %}

{#- The model node behind a relation, if it is an incremental model of this project. -#}
{% macro is_incremental_model(relation) -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model'
        and node.config.materialized == 'incremental'
        and (node.alias or node.name) == relation.identifier
        and node.schema == relation.schema -%}
        {{- return(true) -}}
    {%- endfor -%}
    {{- return(false) -}}
{%- endmacro %}

{#-
    dbt wraps the model of every generic test in get_where_subquery(); this
    adds the latest-write filter to the test's own `where` config.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- if execute and data_test_rows() == 'latest_write' and is_incremental_model(relation) -%}
        {#- a constant, not a subquery: PostgreSQL then plans the index scan a batch needs -#}
        {%- set latest = run_query('select max(watermark_xmin)::text as latest from ' ~ relation) -%}
        {%- set watermark = latest.columns[0].values()[0] -%}
        {%- do conditions.append('watermark_xmin = ' ~ (watermark if watermark is not none else 'null')) -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}
