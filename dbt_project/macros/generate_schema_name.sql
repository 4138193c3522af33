{#-
    Schemas are exactly `staging`, `intermediate`, `marts` and `seeds`, not
    dbt's default `<target schema>_<custom schema>`: the reader role, the
    dashboards and the analysts' SQL name them directly.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
