{#-
    The build that runs after each annotation batch: `dbt build --selector
    frequent`, or any build given --vars '{per_batch_build: true}' (Airflow's
    news_transform, which runs the models one task at a time). It tests and
    documents only what the batch wrote; every other build (nightly, CI, by
    hand) does all of it.
-#}
{% macro per_batch_build() -%}
    {%- set default = invocation_args_dict.get('selector') == 'frequent' -%}
    {{- return(var('per_batch_build', default) in [true, 'true', 'True', 1, '1']) -}}
{%- endmacro %}

{#- Whether a relation is one of this project's incremental models. -#}
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
    Which rows the data tests check. dbt wraps the model of every generic test
    in get_where_subquery(); this adds a filter to the test's own `where`.

    A per-batch build tests what the batch wrote: on an incremental model,
    the rows of the model's latest write, which all carry its largest
    watermark_xmin (after a full build, every row). Older rows were tested
    when they were written, and nothing else changes them: edited coding
    seeds make every incremental model rewrite all its rows
    (macros/incremental_window.sql). So a batch's tests cost what the batch
    costs, not what the warehouse holds. Other builds test every row.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- if execute and per_batch_build() and is_incremental_model(relation) -%}
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
