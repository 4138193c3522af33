-- Each event candidate of an article's current annotation, coded and split
-- into actor pairs:
--   * predicate -> codebook pattern -> PLOVER type and mode, CAMEO root, quad
--     class, weight (most literal words wins, then a pattern that starts with
--     the verb, then a whole match, then the longer pattern; the trigger lemma
--     alone is the fallback);
--   * modality rules (PLOVER/CAMEO practice): a demand attributed to a
--     speaker ("Assad insists Turkey must withdraw") is a DEMAND by the
--     speaker on the inner event's source, a REQUEST when the speaker only
--     asked, urged or appealed ("urged Iran to withdraw"); an intention to cooperate ("will
--     provide aid") is AGREE, a refusal ("will not accept") REJECT, an
--     intention to use force THREATEN;
--   * pairs: every source with every target; several sources and no target
--     are pairs among themselves (reciprocal: the annotator keeps several
--     sources in one candidate only for reciprocal predicates such as "met"
--     or "signed a deal", and splits "France and Germany criticised" into one
--     candidate per source); all pairs of one candidate
--     share an event_group_id ("talks with Russia and Iran");
--   * reported speech: "Syria says it will withdraw" has no source of its
--     own; when a subject pronoun (it, they, he, she, we) stands just before
--     the trigger, the speaker is the source; an attempt ("tried to hack")
--     is the act, not an intention;
--   * pair rules (pair_types): an armed attack by a state's armed forces is
--     FIGHT, force on unarmed people ASSAULT, leaving an IGO SANCTION;
--   * negated, speculative, hypothetical (and other non-derived) candidates
--     stay here with is_countable = false and the reason; background events
--     are countable and flagged.
-- Nested loops are off for this model (row estimates of CTEs are guesses).
-- The pre-hook logs the events of the rows it deletes:
-- depends_on: {{ ref('int_event_mentions_withdrawn') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='append_new_columns',
        indexes=[
            {'columns': ['article_id', 'event_index', 'pair_index'], 'unique': true},
            {'columns': ['event_id']},
            {'columns': ['written_xact']},
            {'columns': ['watermark_xmin']},
        ],
        pre_hook=[
            '{{ hash_joins_only() }}',
            "{{ delete_reprocessed_articles(withdrawn_log=ref('int_event_mentions_withdrawn')) }}",
        ],
        post_hook='{{ analyze_after_full_build() }}',
    )
}}

with

articles as (

    select * from {{ ref('int_articles_annotated') }}
    {% if is_incremental() -%}
        where {{ incremental_article_filter() }}
    {%- endif %}

),

event_mentions as (

    select event_mentions.*
    from {{ ref('stg_nlp__event_mentions') }} as event_mentions
    where {{ batch_articles_filter('event_mentions.article_id') }}

),

sentences as (

    select sentences.*
    from {{ ref('stg_nlp__sentences') }} as sentences
    where {{ batch_articles_filter('sentences.article_id') }}

),

resolved_mentions as (

    select resolved.*
    from {{ ref('int_actor_mentions_resolved') }} as resolved
    where {{ batch_articles_filter('resolved.article_id') }}

),

patterns as (

    select * from {{ ref('int_event_patterns_unnested') }}

),

event_types as (

    select * from {{ ref('int_event_types') }}

),

sponsor_terms as (

    select * from {{ ref('int_sponsor_terms_resolved') }}

),

coding_version as (

    select * from {{ ref('int_coding_version') }}

),

article_topics as (

    select * from {{ ref('article_topics') }}

),

confidence_weights as (

    select * from {{ ref('confidence_weights') }}

),

with_sentences as (

    select
        event_mentions.*,
        sentences.sentence_text,
        sentences.sentence_start_char,
        sentences.sentence_end_char,
        -- the sentence up to the trigger: where reported-speech cues are read
        left(
            sentences.sentence_text,
            greatest(event_mentions.trigger_start - sentences.sentence_start_char, 0)
        ) as text_before_trigger
    from event_mentions
    left join sentences
        on
            event_mentions.article_id = sentences.article_id
            and event_mentions.annotator_version = sentences.annotator_version
            and event_mentions.sentence_index = sentences.sentence_index

),

cued as (

    select
        with_sentences.*,
        coalesce(
            with_sentences.text_before_trigger
            ~* '\m(tried|attempted) to\s*$',
            false
        ) as is_attempt,
        coalesce(
            with_sentences.text_before_trigger ~* '\m(it|they|he|she|we)\s+(\S+\s+){0,3}$',
            false
        ) as has_subject_pronoun
    from with_sentences

),

modal as (

    select
        cued.*,
        -- an attempt happened: it is coded as the act
        case
            when cued.is_attempt and cued.modality = 'intended' then 'asserted'
            else cued.modality
        end as effective_modality
    from cued

),

events as (

    select
        modal.*,
        split_part(modal.predicate, ' ', 1) as first_token,
        split_part(modal.predicate, ' ', 2) as second_token,
        articles.article_date,
        articles.cluster_key,
        articles.feed_id,
        articles.host,
        articles.article_url,
        articles.article_topic,
        coalesce(article_topics.is_coded, true) as is_topic_coded,
        articles.published_at,
        articles.first_seen_at,
        articles.loaded_at,
        articles.source_changed_at
    from modal
    inner join articles
        on
            modal.article_id = articles.article_id
            and modal.annotator_version = articles.annotator_version
    left join article_topics
        on articles.article_topic = article_topics.topic

),

pattern_matches as (

    -- a pattern starting with a literal word: pre-filter on that word
    select
        events.article_id,
        events.event_index,
        patterns.pattern,
        1 as match_tier,
        events.predicate ~ patterns.whole_regex as is_whole_match
    from events
    inner join patterns
        on events.first_token = patterns.first_token
    where events.predicate ~ patterns.prefix_regex

    union all

    -- a pattern starting with a wildcard ("* talks"): pre-filter on the second word
    select
        events.article_id,
        events.event_index,
        patterns.pattern,
        1 as match_tier,
        events.predicate ~ patterns.whole_regex as is_whole_match
    from events
    inner join patterns
        on
            patterns.first_token = '*'
            and events.second_token = patterns.second_token
    where events.predicate ~ patterns.prefix_regex

    union all

    -- fallback: the trigger lemma alone is a one-word pattern
    select
        events.article_id,
        events.event_index,
        patterns.pattern,
        2 as match_tier,
        false as is_whole_match
    from events
    inner join patterns
        on
            events.trigger_lemma = patterns.pattern
            and patterns.n_tokens = 1

),

best_matches as (

    select distinct on (pattern_matches.article_id, pattern_matches.event_index)
        pattern_matches.article_id,
        pattern_matches.event_index,
        pattern_matches.match_tier,
        patterns.*
    from pattern_matches
    inner join patterns
        on pattern_matches.pattern = patterns.pattern
    order by
        pattern_matches.article_id asc,
        pattern_matches.event_index asc,
        pattern_matches.match_tier asc,
        patterns.n_literal_tokens desc,
        -- the verb ("prevent") before a light-verb noun pattern ("* demonstration")
        (patterns.first_token <> '*') desc,
        pattern_matches.is_whole_match desc,
        patterns.n_tokens desc,
        patterns.pattern asc

),

coded as (

    select
        events.*,
        best_matches.pattern as matched_pattern,
        best_matches.event_type as base_event_type,
        best_matches.event_mode as base_event_mode,
        case
            -- what the speaker demands, coded or not, is the speaker's DEMAND
            when
                events.effective_modality = 'demanded'
                and events.attributed_mention_index is not null
                and not events.is_negated
                then 'demanded_by_speaker'
            when best_matches.event_type is null then 'uncoded'
            when
                events.effective_modality = 'intended'
                and events.is_negated
                and best_matches.quad_class in (1, 2)
                then 'refusal'
            when
                events.effective_modality = 'intended'
                and not events.is_negated
                and best_matches.quad_class in (1, 2)
                then 'intent_to_cooperate'
            when
                events.effective_modality = 'intended'
                and not events.is_negated
                and best_matches.quad_class = 4
                then 'intent_to_use_force'
            when best_matches.match_tier = 2 then 'trigger_lemma'
            else 'predicate'
        end as coding_rule,
        best_matches.cameo_root as base_cameo_root,
        best_matches.quad_class as base_quad_class,
        best_matches.goldstein as base_goldstein
    from events
    left join best_matches
        on
            events.article_id = best_matches.article_id
            and events.event_index = best_matches.event_index

),

-- the speakers who asked or demanded in so many words ("urged", "asked",
-- "insisted"): what they wanted done is a REQUEST when they only asked
speaker_directives as (

    select
        coded.article_id,
        coded.sentence_index,
        speaker.mention_index,
        bool_or(coded.base_event_type = 'DEMAND') as has_demand
    from coded
    cross join lateral unnest(coded.source_mention_indexes) as speaker (mention_index)
    where
        coded.base_event_type in ('REQUEST', 'DEMAND')
        and not coded.is_negated
    group by coded.article_id, coded.sentence_index, speaker.mention_index

),

typed as (

    select
        coded.*,
        case coded.coding_rule
            when 'demanded_by_speaker' then
                case when not speaker_directives.has_demand then 'REQUEST' else 'DEMAND' end
            when 'refusal' then 'REJECT'
            when 'intent_to_cooperate' then 'AGREE'
            when 'intent_to_use_force' then 'THREATEN'
            else coded.base_event_type
        end as event_type,
        coded.coding_rule in (
            'demanded_by_speaker', 'refusal', 'intent_to_cooperate', 'intent_to_use_force'
        ) as is_derived,
        case
            when coded.coding_rule = 'demanded_by_speaker'
                then array[coded.attributed_mention_index]
            when
                coalesce(cardinality(coded.source_mention_indexes), 0) = 0
                and coded.attributed_mention_index is not null
                and coded.has_subject_pronoun
                then array[coded.attributed_mention_index]
            else coded.source_mention_indexes
        end as actor1_indexes,
        coded.coding_rule <> 'demanded_by_speaker'
        and coalesce(cardinality(coded.source_mention_indexes), 0) = 0
        and coded.attributed_mention_index is not null
        and coded.has_subject_pronoun as is_speaker_source,
        case
            when coded.coding_rule = 'demanded_by_speaker'
                then coded.source_mention_indexes
            else coded.target_mention_indexes
        end as actor2_indexes
    from coded
    left join speaker_directives
        on
            coded.article_id = speaker_directives.article_id
            and coded.sentence_index = speaker_directives.sentence_index
            and coded.attributed_mention_index = speaker_directives.mention_index

),

-- the two lists a candidate is split by: its sources and its targets; with
-- several sources and no target, the sources twice (reciprocal); a missing
-- side is one null, so a candidate with one actor, or none, still has a row
pair_sides as (

    select
        typed.article_id,
        typed.event_index,
        coalesce(cardinality(typed.actor1_indexes), 0) > 1
        and coalesce(cardinality(typed.actor2_indexes), 0) = 0 as is_reciprocal,
        case
            when cardinality(typed.actor1_indexes) > 0 then typed.actor1_indexes
            else array[null::integer]
        end as actor1_side,
        case
            when cardinality(typed.actor2_indexes) > 0 then typed.actor2_indexes
            when cardinality(typed.actor1_indexes) > 1 then typed.actor1_indexes
            else array[null::integer]
        end as actor2_side
    from typed

),

-- every source with every other target; reciprocal sources each unordered pair once
pairs as (

    select
        pair_sides.article_id,
        pair_sides.event_index,
        actor1.mention_index as actor1_mention_index,
        actor2.mention_index as actor2_mention_index,
        actor1.ordinality * 1000 + actor2.ordinality as pair_order,
        pair_sides.is_reciprocal
    from pair_sides
    cross join lateral unnest(pair_sides.actor1_side) with ordinality as actor1 (mention_index, ordinality)
    cross join lateral unnest(pair_sides.actor2_side) with ordinality as actor2 (mention_index, ordinality)
    where
        case
            when pair_sides.is_reciprocal then actor1.ordinality < actor2.ordinality
            else coalesce(actor1.mention_index <> actor2.mention_index, true)
        end

),

numbered_pairs as (

    select
        pairs.*,
        (row_number() over (
            partition by pairs.article_id, pairs.event_index
            order by pairs.pair_order, pairs.actor1_mention_index, pairs.actor2_mention_index
        ))::integer as pair_index,
        count(*) over (partition by pairs.article_id, pairs.event_index) as n_pairs
    from pairs

),

paired as (

    select
        typed.*,
        numbered_pairs.pair_index,
        numbered_pairs.n_pairs,
        numbered_pairs.is_reciprocal,
        numbered_pairs.actor1_mention_index,
        numbered_pairs.actor2_mention_index,
        actor1.mention_text as actor1_text,
        actor1.agent_code as actor1_code,
        actor1.agent_name as actor1_name,
        actor1.actor_code as actor1_actor_code,
        actor1.country_code as actor1_country_code,
        actor1.sector as actor1_sector,
        coalesce(actor1.sponsor_code, sponsor_terms.sponsor_code) as actor1_sponsor_code,
        actor1.resolution_rule as actor1_resolution_rule,
        actor2.mention_text as actor2_text,
        actor2.agent_code as actor2_code,
        actor2.agent_name as actor2_name,
        actor2.actor_code as actor2_actor_code,
        actor2.country_code as actor2_country_code,
        actor2.sector as actor2_sector,
        actor2.sponsor_code as actor2_sponsor_code,
        actor2.resolution_rule as actor2_resolution_rule
    from typed
    inner join numbered_pairs
        on
            typed.article_id = numbered_pairs.article_id
            and typed.event_index = numbered_pairs.event_index
    left join resolved_mentions as actor1
        on
            typed.article_id = actor1.article_id
            and numbered_pairs.actor1_mention_index = actor1.mention_index
    left join resolved_mentions as actor2
        on
            typed.article_id = actor2.article_id
            and numbered_pairs.actor2_mention_index = actor2.mention_index
    -- "Iran-backed" written on the event rather than on the mention
    left join sponsor_terms
        on {{ normalize_term('typed.sponsor_text') }} = sponsor_terms.term

),

-- what the pair's actors make of the act (PLOVER's lines between types):
--   * an armed attack by a state's armed forces is conventional force:
--     FIGHT, and so is a government's armed attack on an armed group ("a
--     Pakistani military operation killed 30 militants"); the same act by
--     guerrillas, even on soldiers, stays ASSAULT, as the PLOVER gold codes it;
--   * force used on people who do not bear arms (protesters, students,
--     civilians) is no clash between armed forces: ASSAULT, not FIGHT;
--   * leaving an intergovernmental organisation cuts ties: SANCTION, not
--     the de-escalation RETREAT means
pair_types as (

    select
        paired.*,
        case
            when
                paired.event_type = 'ASSAULT'
                and paired.base_event_mode = 'armed'
                and (
                    paired.actor1_sector = 'MIL'
                    or (
                        paired.actor1_sector = 'GOV'
                        and paired.actor2_sector in ('REB', 'MIL', 'UAF', 'IMG', 'PAR')
                    )
                )
                then 'armed_forces'
            when
                paired.event_type = 'FIGHT'
                and paired.actor2_sector in (
                    'CVL', 'ACT', 'EDU', 'LAB', 'REF', 'REL', 'MED', 'HLH', 'HRI', 'AGR', 'BUS'
                )
                then 'force_on_unarmed'
            when
                paired.event_type = 'RETREAT'
                and paired.actor2_sector = 'IGO'
                and split_part(paired.predicate, ' ', 1) in ('withdraw', 'pull', 'leave', 'quit', 'exit')
                then 'leaves_organisation'
        end as pair_rule,
        lower(coalesce(paired.actor1_text, '')) in (
            'he', 'she', 'they', 'it', 'we', 'him', 'her', 'them'
        ) as is_actor1_pronoun
    from paired

),

pair_typed as (

    select
        pair_types.*,
        case pair_types.pair_rule
            when 'armed_forces' then 'FIGHT'
            when 'force_on_unarmed' then 'ASSAULT'
            when 'leaves_organisation' then 'SANCTION'
            else pair_types.event_type
        end as pair_event_type
    from pair_types

),

retyped as (

    select
        pair_typed.*,
        coalesce(pair_typed.pair_rule, pair_typed.coding_rule) as pair_coding_rule,
        pair_typed.is_derived or pair_typed.pair_rule is not null as pair_is_derived,
        coalesce(derived_types.cameo_root, pair_typed.base_cameo_root) as cameo_root,
        coalesce(derived_types.quad_class, pair_typed.base_quad_class) as quad_class,
        coalesce(derived_types.goldstein, pair_typed.base_goldstein) as goldstein
    from pair_typed
    left join event_types as derived_types
        on
            (pair_typed.is_derived or pair_typed.pair_rule is not null)
            and pair_typed.pair_event_type = derived_types.event_type

),

-- what made the row, as the features of the confidence model (seed
-- confidence_weights): how each actor was resolved, how much of the
-- predicate the codebook matched, the article's topic, the modality
featured as (

    select
        retyped.*,
        array_remove(array[
            'bias',
            case
                when
                    retyped.actor1_resolution_rule in ('dictionary_key', 'alias', 'capital_metonym')
                    or (retyped.actor1_resolution_rule = 'coreference' and not retyped.is_actor1_pronoun)
                    then 'source_named'
            end,
            case
                when retyped.actor1_country_code is not null or retyped.actor1_sector = 'IGO'
                    then 'source_country'
            end,
            case
                when
                    retyped.actor1_resolution_rule in (
                        'role_noun', 'sentence_country', 'article_country', 'place'
                    )
                    then 'source_role_only'
            end,
            case when retyped.is_actor1_pronoun then 'source_pronoun' end,
            case
                when retyped.actor1_sector in ('BUS', 'CVL', 'MED', 'EDU', 'REL', 'HLH')
                    then 'source_society_sector'
            end,
            case
                when
                    retyped.actor2_code is not null
                    and (retyped.actor2_country_code is not null or retyped.actor2_sector = 'IGO')
                    then 'target_named'
            end,
            case
                when
                    retyped.actor2_code is null
                    and retyped.actor2_mention_index is not null
                    then 'target_unresolved'
            end,
            case
                when
                    retyped.actor2_code is not null
                    and retyped.actor2_country_code is null
                    and coalesce(retyped.actor2_sector, '') <> 'IGO'
                    then 'target_no_country'
            end,
            case when retyped.actor1_code = retyped.actor2_code then 'same_actor' end,
            case
                when 'MED' in (retyped.actor1_sector, retyped.actor2_sector) then 'media_actor'
            end,
            case
                when retyped.actor2_code is null and not retyped.is_reciprocal then 'no_target'
            end,
            -- force between actors none of whom bears arms: mostly a metaphor
            -- ("fighting for their freedom", "battled blazes")
            case
                when
                    retyped.pair_event_type in ('FIGHT', 'ASSAULT')
                    and coalesce(retyped.actor1_sector, '') not in ('MIL', 'REB', 'PAR', 'UAF', 'IMG', 'COP')
                    and coalesce(retyped.actor2_sector, '') not in ('MIL', 'REB', 'PAR', 'UAF', 'IMG', 'COP')
                    then 'force_without_armed_actor'
            end,
            -- a year other than the article's in the sentence: often history
            case
                when
                    retyped.sentence_text ~ '\m(19|20)[0-9]{2}\M'
                    and retyped.sentence_text !~ ('\m' || extract(year from retyped.article_date)::text || '\M')
                    then 'other_year'
            end,
            case
                when array_length(regexp_split_to_array(retyped.sentence_text, '\s+'), 1) > 35
                    then 'long_sentence'
            end,
            case when retyped.coding_rule = 'trigger_lemma' then 'trigger_only' end,
            case when retyped.pair_is_derived then 'derived' end,
            case when retyped.effective_modality = 'reported' then 'reported' end,
            case when retyped.is_speaker_source then 'speaker_source' end,
            case when coalesce(retyped.article_topic, 'unknown') = 'unknown' then 'topic_unknown' end
        ], null) as confidence_features
    from retyped

),

scored as (

    select
        featured.*,
        round((1.0 / (1.0 + exp(-coalesce(weights.log_odds, 0))))::numeric, 3)::double precision
            as row_confidence
    from featured
    left join lateral (
        select sum(confidence_weights.weight) as log_odds
        from confidence_weights
        where confidence_weights.feature = any(featured.confidence_features)
    ) as weights on true

),

flagged as (

    select
        scored.*,
        case
            when scored.pair_event_type is null then 'uncoded'
            when scored.is_negated and not scored.is_derived then 'negated'
            when not scored.is_derived and scored.effective_modality not in ('asserted', 'reported')
                then scored.effective_modality
            when scored.actor1_code is null then 'no_source_actor'
            when not scored.is_topic_coded then 'topic_' || scored.article_topic
            -- who did it to whom with the same code on both sides says nothing
            -- dyadic; on news it is a resolution artefact (a role noun given
            -- its counterpart's country, a thing or theme taken for the target)
            when scored.actor1_code = scored.actor2_code then 'same_actor'
            -- a government, force, police, court, legislature or party always
            -- belongs to a country: a source without it names nobody an analyst
            -- can use (a target without it is only less specific: feature
            -- target_no_country)
            when
                scored.actor1_country_code is null
                and scored.actor1_sector in ('GOV', 'MIL', 'COP', 'JUD', 'LEG', 'SPY', 'PTY')
                then 'source_without_country'
            -- a town, region or state is no political actor ("a Fort Worth
            -- girl", "flew to Portland", a dateline); it stands for its
            -- country's people only where force lands on it ("shelled Kharkiv")
            when
                scored.actor1_resolution_rule = 'place'
                or (
                    scored.actor2_resolution_rule = 'place'
                    and scored.pair_event_type not in ('FIGHT', 'ASSAULT', 'COERCE')
                )
                then 'place_actor'
            when scored.row_confidence < {{ var('min_event_confidence') }} then 'low_confidence'
        end as not_countable_reason,
        case
            when scored.pair_is_derived then null
            when
                scored.event_type = 'CONSULT'
                and scored.base_event_mode is null
                and coalesce(cardinality(scored.actor1_indexes), 0)
                + coalesce(cardinality(scored.actor2_indexes), 0) > 2
                then 'multilateral'
            else scored.base_event_mode
        end as event_mode,
        coalesce(
            scored.event_date,
            case when not scored.is_background then scored.article_date end
        ) as coded_event_date
    from scored

),

final as (

    select
        -- keys
        {{ surrogate_key(['article_id', 'event_index', 'pair_index']) }} as event_mention_id,
        case
            when pair_event_type is not null and actor1_code is not null
                then {{ surrogate_key([
                    'coded_event_date', 'actor1_code', 'actor2_code', 'pair_event_type',
                    'place_country_code',
                ]) }}
        end as event_id,
        {{ surrogate_key(['article_id', 'event_index']) }} as event_group_id,
        article_id,
        annotator_version,
        event_index,
        pair_index,
        sentence_index,
        feed_id,
        cluster_key,

        -- event attributes
        pair_event_type as event_type,
        event_mode,
        cameo_root,
        quad_class,
        goldstein,
        base_event_type,
        matched_pattern,
        pair_coding_rule as coding_rule,
        predicate,
        trigger_lemma,
        trigger_text,
        trigger_start,
        trigger_end,

        -- actors
        actor1_mention_index,
        actor1_text,
        actor1_code,
        actor1_name,
        actor1_actor_code,
        actor1_country_code,
        actor1_sector,
        actor1_sponsor_code,
        actor1_resolution_rule,
        actor2_mention_index,
        actor2_text,
        actor2_code,
        actor2_name,
        actor2_actor_code,
        actor2_country_code,
        actor2_sector,
        actor2_sponsor_code,
        actor2_resolution_rule,
        attributed_mention_index,
        is_speaker_source,
        is_reciprocal,
        n_pairs,

        -- flags
        is_negated,
        modality,
        is_background,
        is_attempt,
        pair_is_derived as is_derived,
        not_countable_reason is null as is_countable,
        not_countable_reason,

        -- place
        place_text,
        place_source,
        geonameid,
        place_country_code,
        place_admin1,
        latitude,
        longitude,
        place_precision,

        -- provenance
        sentence_text,
        sentence_start_char,
        sentence_end_char,
        article_url,
        host,
        article_topic,
        confidence as annotator_confidence,
        row_confidence as confidence,
        confidence_features,
        date_cue,

        -- dates and lineage
        coded_event_date as event_date,
        article_date,
        published_at,
        first_seen_at,
        loaded_at,
        source_changed_at,
        (select coding_version.coding_version from coding_version) as coding_version,

        -- incremental bookkeeping (macros/incremental_window.sql)
        {{ current_snapshot_xmin() }} as watermark_xmin,
        {{ current_xact() }} as written_xact

    from flagged

)

select * from final
