-- One row: a fingerprint of every seed that decides coding. Incremental
-- models store it and recode every article when it changes, so an analyst
-- who edits a seed and runs `dbt build` gets the new coding everywhere.
with

fingerprints as (

    select md5(actor_dictionary::text) as row_hash
    from {{ ref('actor_dictionary') }} as actor_dictionary
    union all
    select md5(actor_roles::text) as row_hash
    from {{ ref('actor_roles') }} as actor_roles
    union all
    select md5(role_nouns::text) as row_hash
    from {{ ref('role_nouns') }} as role_nouns
    union all
    select md5(event_codebook::text) as row_hash
    from {{ ref('event_codebook') }} as event_codebook
    union all
    select md5(sectors::text) as row_hash
    from {{ ref('sectors') }} as sectors
    union all
    select md5(article_topics::text) as row_hash
    from {{ ref('article_topics') }} as article_topics
    union all
    select md5(confidence_weights::text) as row_hash
    from {{ ref('confidence_weights') }} as confidence_weights

),

final as (

    select md5(string_agg(row_hash, '' order by row_hash)) as coding_version
    from fingerprints

)

select * from final
