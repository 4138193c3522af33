-- The actor a sponsor phrase names ("Iran-backed" -> IRN): each name, alias
-- and nationality adjective of the dictionary once, with the country of the
-- actor it names, else the actor itself. A term several actors share names
-- the one found first: by name before alias before adjective, then a
-- country before other kinds, then by code. Mentions
-- (int_actor_mentions_resolved) and event candidates
-- (int_event_mentions_coded) both look their sponsor up here.
with

terms as (

    select * from {{ ref('int_actor_terms_unnested') }}

),

final as (

    select distinct on (terms.term)
        terms.term,
        coalesce(terms.country_code, terms.actor_code) as sponsor_code
    from terms
    where terms.term_kind in ('name', 'alias', 'adjective')
    order by
        terms.term asc,
        terms.term_rank asc,
        (terms.actor_kind = 'country') desc,
        terms.actor_code asc

)

select * from final
