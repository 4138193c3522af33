{#-
    The form in which surface text is compared with dictionary terms: lower
    case, typographic apostrophes and dashes made plain, a leading "the "
    dropped, runs of white space collapsed.  The annotators apply the same
    normalisation (transforms/), so a term matches in both places.
-#}
{% macro normalize_term(expression) -%}
    nullif(
        regexp_replace(
            regexp_replace(
                translate(lower(trim({{ expression }})), '’‘`–—', '''''''--'),
                '^the\s+', ''
            ),
            '\s+', ' ', 'g'
        ),
        ''
    )
{%- endmacro %}
