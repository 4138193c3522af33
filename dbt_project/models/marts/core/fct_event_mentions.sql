-- Every event candidate pair with its provenance: article, sentence,
-- character offsets, the pattern and rule that coded it, how each actor was
-- resolved, and why it does or does not count. The evidence behind fct_events.
-- depends_on: {{ ref('int_coding_version') }}
-- depends_on: {{ ref('int_articles_annotated') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook='{{ delete_reprocessed_articles() }}',
        on_schema_change='append_new_columns',
        indexes=[
            {'columns': ['event_id']},
            {'columns': ['article_id']},
        ],
    )
}}

with

coded as (

    select * from {{ ref('int_event_mentions_coded') }}
    {% if is_incremental() -%}
        where {{ incremental_article_filter() }}
    {%- endif %}

),

final as (

    select
        -- keys
        event_mention_id,
        event_id,
        event_group_id,
        article_id,
        annotator_version,
        event_index,
        pair_index,
        sentence_index,
        feed_id,
        cluster_key,

        -- event
        event_type,
        event_mode,
        cameo_root,
        quad_class,
        goldstein,
        base_event_type,
        matched_pattern,
        coding_rule,
        predicate,
        trigger_lemma,
        trigger_text,
        trigger_start,
        trigger_end,

        -- actors
        actor1_mention_index,
        actor1_text,
        actor1_code,
        actor1_name,
        actor1_actor_code,
        actor1_country_code,
        actor1_sector,
        actor1_sponsor_code,
        actor1_resolution_rule,
        actor2_mention_index,
        actor2_text,
        actor2_code,
        actor2_name,
        actor2_actor_code,
        actor2_country_code,
        actor2_sector,
        actor2_sponsor_code,
        actor2_resolution_rule,
        attributed_mention_index,
        is_speaker_source,

        -- flags
        is_reciprocal,
        is_negated,
        modality,
        is_background,
        is_attempt,
        is_derived,
        is_countable,
        not_countable_reason,

        -- place
        place_text,
        place_source,
        geonameid,
        place_country_code,
        place_admin1,
        latitude,
        longitude,
        place_precision,

        -- provenance
        sentence_text,
        sentence_start_char,
        sentence_end_char,
        article_url,
        host,
        confidence,
        date_cue,

        -- dates and lineage
        event_date,
        article_date,
        published_at,
        first_seen_at,
        loaded_at,
        source_changed_at,
        coding_version,

        -- incremental bookkeeping (macros/incremental_window.sql)
        {{ current_snapshot_xmin() }} as watermark_xmin

    from coded

)

select * from final
