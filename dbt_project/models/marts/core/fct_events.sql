-- Events in the spirit of GDELT's events table: one row per (event date,
-- actor 1, actor 2, event type, place country), counted over countable
-- mentions. Syndicated copies do not inflate the counts: articles are counted
-- once per near-duplicate cluster, mentions take the largest count of any one
-- copy in a cluster, sources count the origin site of each cluster. No article
-- contributes more than once to a row's article count. Rows are recomputed
-- whenever a later article mentions the same event (GDELT freezes its counts
-- after 15 minutes; these keep growing).
-- depends_on: {{ ref('int_coding_version') }}
-- depends_on: {{ ref('int_articles_annotated') }}
-- depends_on: {{ ref('int_events_retracted') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key='event_id',
        on_schema_change='append_new_columns',
        indexes=[
            {'columns': ['event_date']},
            {'columns': ['event_group_id']},
            {'columns': ['written_xact']},
            {'columns': ['watermark_xmin']},
        ],
        post_hook="{{ delete_orphan_events() }}",
    )
}}

with

-- on incremental runs, the events a new or changed article mentions, and
-- those an article annotated again no longer mentions: each is recomputed
-- from all of its mentions, old and new (those left with none are retracted
-- by the post-hook). Both lookups go through indexes (article, event), so a
-- batch reads its events' mentions, not every mention; a full build reads all.
changed_events as (

    select batch_mentions.event_id
    from {{ ref('int_event_mentions_coded') }} as batch_mentions
    where
        batch_mentions.is_countable
        and {{ incremental_article_filter('batch_mentions.article_id') }}

    union

    select withdrawn.event_id
    from {{ ref('int_event_mentions_withdrawn') }} as withdrawn

),

scoped_mentions as (

    select mentions.*
    from {{ ref('int_event_mentions_coded') }} as mentions
    where
        mentions.is_countable
        {% if is_incremental() -%}
            and mentions.event_id = any(array(select changed_events.event_id from changed_events))
        {%- endif %}

),

-- one row per (event, article): no article counts twice
article_level as (

    select
        event_id,
        article_id,
        min(cluster_key) as cluster_key,
        min(host) as host,
        count(*) as n_mentions,
        max(confidence) as confidence,
        min(first_seen_at) as first_seen_at
    from scoped_mentions
    group by event_id, article_id

),

cluster_level as (

    select distinct on (event_id, cluster_key)
        event_id,
        cluster_key,
        host as origin_host,
        max(n_mentions) over (partition by event_id, cluster_key) as n_mentions
    from article_level
    order by event_id asc, cluster_key asc, first_seen_at asc, article_id asc

),

counts as (

    select
        event_id,
        sum(n_mentions)::integer as num_mentions,
        count(*)::integer as num_articles,
        count(distinct origin_host)::integer as num_sources
    from cluster_level
    group by event_id

),

aggregates as (

    select
        event_id,
        count(distinct article_id)::integer as num_copies,
        max(confidence) as confidence,
        bool_and(is_background) as is_background,
        bool_or(is_derived) as is_derived,
        bool_or(is_reciprocal) as is_reciprocal,
        min(published_at) as published_at,
        min(first_seen_at) as first_seen_at,
        max(loaded_at) as loaded_at,
        max(source_changed_at) as source_changed_at,
        max(coding_version) as coding_version
    from scoped_mentions
    group by event_id

),

-- the first report is the row's face: its actors' names, place, URL, sentence
representative as (

    select distinct on (event_id) *
    from scoped_mentions
    order by
        event_id asc,
        first_seen_at asc,
        article_id asc,
        case place_precision when 'city' then 1 when 'division' then 2 when 'country' then 3 else 4 end,
        event_index asc,
        pair_index asc

),

final as (

    select
        -- keys
        representative.event_id,
        representative.event_group_id,
        representative.event_date,
        representative.actor1_code,
        representative.actor2_code,
        representative.event_type,
        representative.place_country_code as action_country_code,

        -- actors
        coalesce(representative.actor1_name, representative.actor1_text) as actor1_name,
        representative.actor1_country_code,
        representative.actor1_sector,
        representative.actor1_sponsor_code,
        coalesce(representative.actor2_name, representative.actor2_text) as actor2_name,
        representative.actor2_country_code,
        representative.actor2_sector,
        representative.actor2_sponsor_code,

        -- event
        representative.event_mode,
        representative.cameo_root,
        representative.quad_class,
        representative.goldstein,

        -- action place
        representative.place_text as action_place_name,
        representative.geonameid as action_geonameid,
        representative.place_admin1 as action_admin1,
        representative.latitude as action_latitude,
        representative.longitude as action_longitude,
        representative.place_precision as action_precision,

        -- measures
        counts.num_mentions,
        counts.num_articles,
        counts.num_sources,
        aggregates.num_copies,
        aggregates.confidence,
        representative.confidence_features,

        -- flags
        aggregates.is_background,
        aggregates.is_derived,
        aggregates.is_reciprocal,
        representative.n_pairs > 1 as is_multilateral,

        -- provenance
        representative.article_id as first_article_id,
        representative.event_mention_id as first_event_mention_id,
        representative.article_url as source_url,
        representative.sentence_text as sentence,

        -- dates and lineage
        aggregates.published_at,
        aggregates.first_seen_at,
        aggregates.loaded_at,
        aggregates.source_changed_at,
        aggregates.coding_version,

        -- incremental bookkeeping (macros/incremental_window.sql)
        {{ current_snapshot_xmin() }} as watermark_xmin,
        {{ current_xact() }} as written_xact

    from representative
    inner join counts
        on representative.event_id = counts.event_id
    inner join aggregates
        on representative.event_id = aggregates.event_id

)

select * from final
