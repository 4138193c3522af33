{#-
    A log table: created by the model's (empty) select, then written only by
    other models' hooks, which append to it and consume it
    (int_events_retracted, int_event_mentions_withdrawn).

    An incremental model would do the same with a dozen statements on every
    build and sit in every per-batch build (the `frequent` selector takes
    incremental models); this one is created on the first build, recreated
    by --full-refresh (which rebuilds everything the log is about) or when
    its columns change in a new release, and otherwise left alone: its build
    is one catalogue lookup. It belongs to the static layers that
    news_transform checks and the nightly build refreshes.
-#}
{% materialization log_table, adapter='postgres' %}
    {%- set existing = load_cached_relation(this) -%}
    {%- set target = this.incorporate(type='table') -%}
    {%- set recreate = existing is none or should_full_refresh() -%}
    {%- if not recreate -%}
        {%- set have = adapter.get_columns_in_relation(existing) | map(attribute='name') | list -%}
        {%- set want = get_columns_in_query(sql) -%}
        {%- set recreate = have | sort != want | sort -%}
    {%- endif -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- if recreate -%}
        {%- if existing is not none -%}
            {%- do adapter.drop_relation(existing) -%}
        {%- endif -%}
        {%- call statement('main') -%}
            {{ get_create_table_as_sql(False, target, sql) }}
        {%- endcall -%}
        {%- do create_indexes(target) -%}
        {%- do persist_docs(target, model) -%}
    {%- else -%}
        {%- call statement('main') -%}
            select 1
        {%- endcall -%}
    {%- endif -%}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target]}) }}
{% endmaterialization %}
