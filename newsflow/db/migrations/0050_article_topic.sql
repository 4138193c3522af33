-- What kind of news an annotated article is, and why (transforms/topic.py).
--
--   annotated_articles.topic: politics, sport, business, technology,
--     entertainment, lifestyle, science or unknown; null for articles that
--     were not annotated (empty, another language, an error);
--   annotated_articles.topic_evidence: the signal that decided it
--     ("url_section:sports", "feed_category:Business",
--     "text:sport=31/1000 vs politics=2/1000").
--
-- Whether a topic's events are coded is the seed article_topics.csv's
-- decision (dbt), so changing it needs no new annotation.

alter table raw.annotated_articles
    add column if not exists topic text,
    add column if not exists topic_evidence text;
