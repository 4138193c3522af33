{#-
    Table and column comments (persist_docs) are written when a relation is
    built, and again by every incremental run. A per-batch build
    (per_batch_build()) leaves an existing incremental table's comments as
    they are: they change with the project, not with the data, and the
    nightly build writes them again. Rewriting them cost two catalogue
    queries and a statement per column on each model of every batch.
-#}
{% macro postgres__persist_docs(relation, model, for_relation, for_columns) -%}
    {%- if per_batch_build() and is_incremental() -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return(dbt.default__persist_docs(relation, model, for_relation, for_columns)) -}}
{%- endmacro %}
