with

source as (

    select * from {{ source('nlp', 'actor_mentions') }}

),

renamed as (

    select
        -- keys
        article_id,
        annotator_version,
        mention_index,
        sentence_index,
        nullif(trim(dictionary_key), '') as dictionary_key,
        resolved_mention_index,
        geonameid,

        -- attributes
        start_char,
        end_char,
        text as mention_text,
        label as entity_label,
        method as mention_method,
        nullif(trim(resolved_text), '') as resolved_text,
        is_metonym,
        nullif(trim(nationality), '') as nationality,
        nullif(trim(role), '') as role_text,
        nullif(trim(sponsor), '') as sponsor_text,
        upper(place_country) as place_country_code,
        place_admin1,
        latitude,
        longitude,
        place_precision

    from source

)

select * from renamed
