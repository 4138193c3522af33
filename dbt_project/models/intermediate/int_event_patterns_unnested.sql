-- The codebook's predicate patterns, one per row, with what the matcher
-- needs: the first two words for an index-friendly pre-filter, regular
-- expressions for a prefix and a whole match, and the specificity counts
-- that decide between several matching patterns.
{{ config(materialized='table') }}

with

codebook as (

    select * from {{ ref('event_codebook') }}

),

patterns as (

    select
        codebook.event_type,
        nullif(trim(codebook.mode), '') as event_mode,
        codebook.cameo_root,
        codebook.quad_class,
        codebook.goldstein,
        regexp_replace(lower(trim(patterns.pattern_text)), '\s+', ' ', 'g') as pattern
    from codebook
    cross join lateral unnest(string_to_array(codebook.lemmas, '|')) as patterns (pattern_text)
    where nullif(trim(patterns.pattern_text), '') is not null

),

final as (

    select
        -- keys
        pattern,

        -- attributes
        upper(trim(event_type)) as event_type,
        event_mode,
        lpad(trim(cameo_root), 2, '0') as cameo_root,
        quad_class,
        goldstein,
        split_part(pattern, ' ', 1) as first_token,
        split_part(pattern, ' ', 2) as second_token,
        {{ pattern_regex('pattern') }} as prefix_regex,
        {{ pattern_regex('pattern', anchor_end=true) }} as whole_regex,

        -- measures
        array_length(string_to_array(pattern, ' '), 1) as n_tokens,
        array_length(array_remove(string_to_array(pattern, ' '), '*'), 1) as n_literal_tokens

    from patterns

)

select * from final
