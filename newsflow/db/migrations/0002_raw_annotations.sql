-- newsflow raw schema, part 2: what the annotators write.
-- Keyed by (article_id, annotator_version): a new annotator version annotates
-- again beside the old output; dbt reads the current version.

create table raw.annotated_articles (
    article_id            bigint not null references raw.articles (article_id) on delete cascade,
    annotator_version     text not null,
    status                text not null
        check (status in ('ok', 'empty', 'skipped_language', 'error')),
    language              text,
    pipeline              text not null,                 -- 'model:<name>-<version>' or 'rules'
    n_sentences           integer not null default 0,
    n_actor_mentions      integer not null default 0,
    n_event_mentions      integer not null default 0,
    error                 text,
    annotated_at          timestamptz not null default now(),
    primary key (article_id, annotator_version)
);

create table raw.sentences (
    article_id            bigint not null,
    annotator_version     text not null,
    sentence_index        integer not null,
    start_char            integer not null,              -- offsets into raw.articles.text (Python str indices)
    end_char              integer not null,
    text                  text not null,
    primary key (article_id, annotator_version, sentence_index),
    foreign key (article_id, annotator_version)
        references raw.annotated_articles (article_id, annotator_version) on delete cascade
);

create table raw.actor_mentions (
    article_id            bigint not null,
    annotator_version     text not null,
    mention_index         integer not null,
    sentence_index        integer not null,
    start_char            integer not null,
    end_char              integer not null,
    text                  text not null,                 -- surface text
    label                 text not null,                 -- PERSON, ORG, GPE, NORP, LOC, FAC, ...
    method                text not null,                 -- 'dictionary', 'model', 'rules', 'coreference'
    dictionary_key        text,                          -- actor_dictionary.actor_code matched, if any
    resolved_text         text,                          -- full mention this one refers to (Assad -> Bashar Assad)
    resolved_mention_index integer,
    is_metonym            boolean not null default false,  -- capital city standing for a government
    nationality           text,                          -- descriptor: 'Iraqi', 'Turkish', ...
    role                  text,                          -- descriptor: 'Foreign Minister', 'militia fighters', ...
    sponsor               text,                          -- affiliation: 'Iran' in 'Iran-backed fighters'
    -- place resolution (gazetteer), when the mention is a place
    geonameid             bigint,
    place_country         text,                          -- ISO 3166-1 alpha-3
    place_admin1          text,                          -- ISO 3166-2 or first-level division name
    latitude              double precision,
    longitude             double precision,
    place_precision       text check (place_precision in ('country', 'division', 'city')),
    primary key (article_id, annotator_version, mention_index),
    foreign key (article_id, annotator_version)
        references raw.annotated_articles (article_id, annotator_version) on delete cascade
);
create index actor_mentions_key_idx on raw.actor_mentions (dictionary_key);

create table raw.event_mentions (
    article_id            bigint not null,
    annotator_version     text not null,
    event_index           integer not null,
    sentence_index        integer not null,
    trigger_start         integer not null,
    trigger_end           integer not null,
    trigger_text          text not null,
    trigger_lemma         text not null,                 -- lemma of the head verb or event noun: 'cross'
    predicate             text not null,                 -- lowercase lemmas, verb + particle/object noun + preposition:
                                                         -- 'cross into', 'meet with', 'join talks with'
    source_mentions       integer[] not null default '{}',  -- actor_mentions.mention_index
    target_mentions       integer[] not null default '{}',
    source_text           text,
    target_text           text,
    attributed_to         integer,                       -- mention that reported it (X said that ...)
    negated               boolean not null default false,
    modality              text not null default 'asserted'
        check (modality in ('asserted', 'reported', 'speculative', 'hypothetical', 'intended', 'demanded')),
    is_background         boolean not null default false,
    -- where: the event's own locative, else the dateline
    place_text            text,
    place_source          text check (place_source in ('locative', 'dateline')),
    place_mention_index   integer,
    geonameid             bigint,
    place_country         text,
    place_admin1          text,
    latitude              double precision,
    longitude             double precision,
    place_precision       text check (place_precision in ('country', 'division', 'city')),
    -- when: a resolved relative or absolute date, else NULL (unknown)
    event_date            date,
    date_cue              text,
    sponsor_text          text,                          -- 'Iran' for 'Iran-backed ... fighters'
    confidence            real,
    primary key (article_id, annotator_version, event_index),
    foreign key (article_id, annotator_version)
        references raw.annotated_articles (article_id, annotator_version) on delete cascade
);
