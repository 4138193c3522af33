-- Which raw rows changed since a dbt incremental model last read them.
--
-- A timestamp cannot tell: now() is the time a transaction started, and
-- transactions commit out of order, so a row stamped 12:00:05 can become
-- visible after a model has read everything up to 12:00:10 and moved its
-- watermark on (the old cure, a lookback window, rereads an hour of articles
-- on every run and still misses a transaction longer than the window).
--
-- A transaction id can: every transaction whose id is below the xmin of a
-- snapshot has finished (committed or aborted). So the warehouse's incremental
-- models remember the xmin of the snapshot they read raw with, and next time
-- take the rows written by transactions at or above it: nothing is missed,
-- and only rows of transactions that were still running then are read twice
-- (idempotent: the models delete and insert per article).
--
-- change_xact is the 64-bit id (xid8, no wraparound) of the transaction that
-- last inserted or changed the row, as bigint so dbt can compare and index it.

create function raw.stamp_change_xact() returns trigger
language plpgsql as $$
begin
    new.change_xact := pg_current_xact_id()::text::bigint;
    return new;
end
$$;

alter table raw.articles
    add column change_xact bigint not null default (pg_current_xact_id()::text::bigint);
create index articles_change_xact_idx on raw.articles (change_xact);
create trigger articles_change_xact
    before update on raw.articles
    for each row when (old is distinct from new)
    execute function raw.stamp_change_xact();

alter table raw.annotated_articles
    add column change_xact bigint not null default (pg_current_xact_id()::text::bigint);
create index annotated_articles_change_xact_idx on raw.annotated_articles (change_xact);
create trigger annotated_articles_change_xact
    before update on raw.annotated_articles
    for each row when (old is distinct from new)
    execute function raw.stamp_change_xact();
