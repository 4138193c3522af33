-- Annotation extras (transforms/, annotator 2024.12.1): two columns the
-- annotator fills beside the contract of 0002, both with defaults so older
-- rows and other writers stay valid.
--   actor_mentions.is_descriptor: a name used only to describe another mention
--     ("Jordan" in "Jordan's King Abdullah II", "Iran" in "Iran-backed
--     fighters", "Iraq" in "fighters from Iraq"); never an event's source or
--     target by itself, so actor activity counts can leave it out.
--   annotated_articles.truncated_at: characters annotated when the article was
--     longer than NEWSFLOW_ANNOTATE_MAX_CHARS (NULL: the whole text).
alter table raw.actor_mentions
    add column if not exists is_descriptor boolean not null default false;
alter table raw.annotated_articles
    add column if not exists truncated_at integer;
