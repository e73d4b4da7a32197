"""
A full-text index on the headline alone (PostgreSQL only), for articles.search.

Broad searches rank only a bounded set of candidates (PostgresSearch.candidates): the
newest matches, plus the newest matches in the headline, however old, found through this
index. The expression must stay exactly PostgresSearch.headline_vector()'s, or PostgreSQL
will not use it. Nothing on SQLite, which searches without it.
"""

from django.db import migrations

FORWARD_SQL = (
    "CREATE INDEX IF NOT EXISTS articles_article_headline_fts ON articles_article "
    "USING gin (to_tsvector('english'::regconfig, headline))"
)
BACKWARD_SQL = "DROP INDEX IF EXISTS articles_article_headline_fts"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_autosave_new_articles_brief_limit")]

    operations = [migrations.RunPython(on_postgresql(FORWARD_SQL), on_postgresql(BACKWARD_SQL))]
