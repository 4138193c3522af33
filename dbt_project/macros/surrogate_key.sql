{#-
    md5 of the fields cast to text and joined with '-', nulls as a fixed
    placeholder: the same recipe as dbt_utils.generate_surrogate_key, written
    here because `dbt deps` cannot reach the package hub from this network.
-#}
{% macro surrogate_key(field_list) -%}
    {%- set parts = [] -%}
    {%- for field in field_list -%}
        {%- do parts.append(
            "coalesce(cast(" ~ field ~ " as text), '_dbt_utils_surrogate_key_null_')"
        ) -%}
    {%- endfor -%}
    md5({{ parts | join(" || '-' || ") }})
{%- endmacro %}
