{#-
    The combination of columns is unique (dbt_utils' test of the same name,
    written here because `dbt deps` cannot reach the package hub).
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

    select
        {{ combination_of_columns | join(', ') }},
        count(*) as n_rows
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1

{% endtest %}
