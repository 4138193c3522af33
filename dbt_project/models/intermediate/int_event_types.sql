-- One row per event type: the CAMEO root, quad class and weight of its plain
-- (mode-less) codebook row, used when a rule derives the type (an intention to
-- cooperate is AGREE, a demand attributed to a speaker is DEMAND).
with

codebook as (

    select * from {{ ref('event_codebook') }}

),

final as (

    select distinct on (upper(trim(event_type)))
        upper(trim(event_type)) as event_type,
        lpad(trim(cameo_root), 2, '0') as cameo_root,
        quad_class,
        goldstein,
        description
    from codebook
    order by upper(trim(event_type)) asc, (nullif(trim(mode), '') is null) desc, cameo_root asc

)

select * from final
