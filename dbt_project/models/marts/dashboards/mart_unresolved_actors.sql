-- The analysts' work-list: entities the annotators found that no rule could
-- resolve to an actor, most frequent first. Adding an alias, an adjective or
-- a role noun to the seeds and running `dbt build` resolves them.
-- Tagged daily: a work-list needs no refresh after every annotation batch
-- (the 'frequent' selector leaves it to the nightly build).
{{ config(tags=['daily']) }}
with

mentions as (

    select * from {{ ref('int_actor_mentions_resolved') }}
    where not is_resolved and mention_term is not null

),

event_mentions as (

    select * from {{ ref('int_event_mentions_coded') }}

),

articles as (

    select * from {{ ref('int_articles_annotated') }}

),

-- how often each unresolved mention stands as an event's actor
event_roles as (

    select
        article_id,
        actor1_mention_index as mention_index
    from event_mentions
    where actor1_code is null and actor1_mention_index is not null

    union all

    select
        article_id,
        actor2_mention_index as mention_index
    from event_mentions
    where actor2_code is null and actor2_mention_index is not null

),

event_role_counts as (

    select
        article_id,
        mention_index,
        count(*) as n_event_roles
    from event_roles
    group by article_id, mention_index

),

grouped as (

    select
        mentions.mention_term,
        mentions.entity_label,
        count(*)::integer as num_mentions,
        count(distinct mentions.article_id)::integer as num_articles,
        coalesce(sum(event_role_counts.n_event_roles), 0)::integer as num_event_roles,
        mode() within group (order by mentions.mention_text) as example_text,
        mode() within group (order by mentions.nationality) as common_nationality,
        mode() within group (order by mentions.role_text) as common_role,
        min(articles.first_seen_at) as first_seen_at,
        max(articles.first_seen_at) as last_seen_at,
        max(articles.article_url) as example_url
    from mentions
    inner join articles
        on mentions.article_id = articles.article_id
    left join event_role_counts
        on
            mentions.article_id = event_role_counts.article_id
            and mentions.mention_index = event_role_counts.mention_index
    where
        mentions.entity_label in ('PERSON', 'ORG', 'NORP', 'GPE')
        or event_role_counts.n_event_roles is not null
    group by mentions.mention_term, mentions.entity_label

),

final as (

    select
        -- keys
        {{ surrogate_key(['mention_term', 'entity_label']) }} as unresolved_actor_id,
        mention_term,
        entity_label,

        -- attributes
        example_text,
        common_nationality,
        common_role,
        example_url,

        -- measures
        num_mentions,
        num_articles,
        num_event_roles,

        -- timestamps
        first_seen_at,
        last_seen_at

    from grouped
    where
        num_mentions >= {{ var('unresolved_min_mentions') }}
        or num_event_roles > 0

)

select * from final
