with

source as (

    select * from {{ source('nlp', 'sentences') }}

),

renamed as (

    select
        -- keys
        article_id,
        annotator_version,
        sentence_index,

        -- attributes
        start_char as sentence_start_char,
        end_char as sentence_end_char,
        text as sentence_text

    from source

)

select * from renamed
