-- No article may count more than once for an event, so one noisy article
-- cannot flood fct_events: every event has at least one independent article,
-- no more independent articles than distinct articles behind it, and no more
-- origin sites than independent articles. Checked on the rows the latest
-- build of fct_events wrote: all of them after a full build, the events a
-- batch touched after an incremental one (older rows were checked when they
-- were written, and nothing else changes them).
with

events as (

    select * from {{ ref('fct_events') }}
    where written_xact = (select max(latest.written_xact) from {{ ref('fct_events') }} as latest)

),

mentions as (

    select * from {{ ref('int_event_mentions_coded') }}
    where
        is_countable
        and event_id in (select events.event_id from events)

),

articles_behind as (

    select
        event_id,
        count(distinct article_id) as n_articles,
        count(distinct cluster_key) as n_clusters
    from mentions
    group by event_id

)

select
    events.event_id,
    events.num_articles,
    events.num_sources,
    events.num_copies,
    articles_behind.n_articles,
    articles_behind.n_clusters
from events
left join articles_behind
    on events.event_id = articles_behind.event_id
where
    articles_behind.event_id is null
    or events.num_articles < 1
    or events.num_articles <> articles_behind.n_clusters
    or events.num_copies <> articles_behind.n_articles
    or events.num_sources > events.num_articles
    or events.num_mentions < events.num_articles
