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
    SELECT coalesce(
        array_to_tsvector(array_agg(DISTINCT first.lexeme || ' ' || second.lexeme)),
        ''::tsvector
    )
    FROM (SELECT lexeme, unnest(positions) AS position FROM unnest(document)) AS first
    JOIN (SELECT lexeme, unnest(positions) AS position FROM unnest(document)) AS second
        ON second.position = first.position + 1
$$
""",
    "CREATE INDEX IF NOT EXISTS articles_article_phrase_pairs ON articles_article "
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
    dependencies = [("articles", "0010_performance_indexes")]

    operations = [migrations.RunPython(on_postgresql(FORWARD_SQL), on_postgresql(BACKWARD_SQL))]
