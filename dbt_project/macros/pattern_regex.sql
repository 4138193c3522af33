{#-
    A codebook pattern ("* talks with") as a POSIX regular expression over a
    predicate: literal words escaped, `*` for any one word, anchored at the
    start and ending on a word boundary (`anchor_end` for a whole match).
-#}
{% macro pattern_regex(pattern, anchor_end=false) -%}
    '^' || replace(
        regexp_replace({{ pattern }}, '([.^$|()\[\]{}+?\\])', '\\\1', 'g'),
        '*', '[^ ]+'
    ) || {% if anchor_end %}'$'{% else %}'( |$)'{% endif %}
{%- endmacro %}
