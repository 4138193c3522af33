with

source as (

    select * from {{ source('nlp', 'event_mentions') }}

),

renamed as (

    select
        -- keys
        article_id,
        annotator_version,
        event_index,
        sentence_index,
        attributed_to as attributed_mention_index,
        place_mention_index,
        geonameid,

        -- attributes
        trigger_start,
        trigger_end,
        trigger_text,
        lower(trim(trigger_lemma)) as trigger_lemma,
        lower(regexp_replace(trim(predicate), '\s+', ' ', 'g')) as predicate,
        source_mentions as source_mention_indexes,
        target_mentions as target_mention_indexes,
        source_text,
        target_text,
        negated as is_negated,
        modality,
        is_background,
        nullif(trim(sponsor_text), '') as sponsor_text,
        place_text,
        place_source,
        upper(place_country) as place_country_code,
        place_admin1,
        latitude,
        longitude,
        place_precision,
        date_cue,
        confidence,

        -- dates
        event_date

    from source

)

select * from renamed
