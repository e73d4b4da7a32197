"""
An index of each article's adjacent word pairs (PostgreSQL only), for quoted phrases.

The GIN index on the search vector knows which words an article holds, not where: for a
phrase of two common words ("borrowing cables") it finds the 41,000 of 100,000 articles
holding both, and each one's vector (kilobytes, out of line) is then read to check the
phrase: 200 ms. `articles_phrase_pairs()` turns a vector into the set of its adjacent
lexeme pairs ('borrow cabl'), taken from the positions the vector itself stores, so an
article that matches a phrase always holds every pair of it; this index finds those
articles directly, and only they are checked for the phrase (PostgresSearch.candidates).
The index is large (several times the vector's own): the price of exact, fast phrases.
Nothing on SQLite, which searches without it.
"""

from django.db import migrations

FORWARD_SQL = [
    r"""
CREATE OR REPLACE FUNCTION articles_phrase_pairs(document tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH pairs AS (
        SELECT DISTINCT first.lexeme || ' ' || second.lexeme AS pair
        FROM (SELECT lexeme, unnest(positions) AS position FROM unnest(document)) AS first
        JOIN (SELECT lexeme, unnest(positions) AS position FROM unnest(document)) AS second
            ON second.position = first.position + 1
    ), kept AS (
        SELECT pair FROM pairs WHERE octet_length(pair) <= 2047
    )
    -- A tsvector holds lexemes of at most 2,047 bytes and 1 MB in all. An article whose
    -- pairs do not fit (two long adjacent words, or an enormous text) is marked instead,
    -- and every phrase search takes marked articles in to check them whole: never an
    -- error on saving, never a match lost. The marker holds two spaces, so no pair
    -- (two lexemes, which never contain one, around a single space) can be it.
    SELECT CASE
        WHEN (SELECT sum(octet_length(pair)) FROM kept) > 1000000
            THEN array_to_tsvector(ARRAY['phrase pairs incomplete'])
        WHEN EXISTS (SELECT FROM pairs WHERE octet_length(pair) > 2047)
            THEN array_to_tsvector(
                array_append(ARRAY(SELECT pair FROM kept), 'phrase pairs incomplete')
            )
        ELSE array_to_tsvector(ARRAY(SELECT pair FROM kept))
    END
$$
""",
    # Concurrently: building it takes minutes on a large archive (2 to 4 on the benchmark's
    # 100,000 articles), and saving articles must go on meanwhile.
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS articles_article_phrase_pairs ON articles_article "
    "USING gin (articles_phrase_pairs(search_vector))",
]
BACKWARD_SQL = [
    "DROP INDEX IF EXISTS articles_article_phrase_pairs",
    "DROP FUNCTION IF EXISTS articles_phrase_pairs(tsvector)",
]


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [("articles", "0011_citation_link_problem_index")]

    operations = [migrations.RunPython(on_postgresql(FORWARD_SQL), on_postgresql(BACKWARD_SQL))]
