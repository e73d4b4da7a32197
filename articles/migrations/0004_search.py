"""
Full-text search: the stored search vector and what keeps it current.

The `search_vector` column exists on every database (on SQLite it is an unused text
column). On PostgreSQL this migration also installs pg_trgm, a GIN index on the vector,
trigram indexes for "did you mean", and triggers that recompute an article's vector
whenever the article or any of its parts change: sections, perspectives (and an
expert's name), citations, watch items and topics (and a topic's name). Triggers rather
than Python signals, so that admin inlines, bulk_create, queryset.update() and raw SQL
all keep the vector right, and so the recipe lives in one place:
`articles_search_vector()` below.

Weights: A headline; B brief and topics; C sections, perspectives, citations, Looking
Ahead and the bottom line; D editor's comments.
"""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FORWARD_SQL = r"""
CREATE OR REPLACE FUNCTION articles_search_vector(
    p_id bigint, p_headline text, p_brief text, p_looking_ahead text,
    p_bottom_line text, p_editors_comment text
) RETURNS tsvector LANGUAGE plpgsql STABLE AS $$
-- PL/pgSQL rather than SQL: its plan is cached for the session instead of being made
-- again on every call (ten times faster when a trigger calls it row after row).
BEGIN
RETURN
    setweight(to_tsvector('english', coalesce(p_headline, '')), 'A')
    || setweight(to_tsvector('english', concat_ws(' ', p_brief, (
        SELECT string_agg(tag.name, ' ')
        FROM taggit_taggeditem item
        JOIN taggit_tag tag ON tag.id = item.tag_id
        JOIN django_content_type ct ON ct.id = item.content_type_id
        WHERE ct.app_label = 'articles' AND ct.model = 'article' AND item.object_id = p_id
    ))), 'B')
    || setweight(to_tsvector('english', concat_ws(' ',
        (SELECT string_agg(s.heading || ' ' || s.body, ' ' ORDER BY s.position)
         FROM articles_section s WHERE s.article_id = p_id),
        (SELECT string_agg(e.name || ' ' || p.credential || ' ' || p.quote, ' ' ORDER BY p.position)
         FROM experts_perspective p JOIN experts_expert e ON e.id = p.expert_id
         WHERE p.article_id = p_id),
        (SELECT string_agg(c.claim || ' ' || c.source_name, ' ' ORDER BY c.position)
         FROM articles_citation c WHERE c.article_id = p_id),
        p_looking_ahead,
        (SELECT string_agg(w.text, ' ' ORDER BY w.position)
         FROM articles_watchitem w WHERE w.article_id = p_id),
        p_bottom_line
    )), 'C')
    || setweight(to_tsvector('english', coalesce(p_editors_comment, '')), 'D');
END $$;

-- The article itself: recomputed before every insert and every update that names a
-- searchable column. Parts "touch" their article by setting search_vector = NULL.
CREATE OR REPLACE FUNCTION articles_article_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := articles_search_vector(
        NEW.id, NEW.headline, NEW.brief, NEW.looking_ahead_intro,
        NEW.bottom_line, NEW.editors_comment);
    RETURN NEW;
END $$;

CREATE TRIGGER articles_article_search
BEFORE INSERT OR UPDATE OF headline, brief, looking_ahead_intro, bottom_line,
    editors_comment, search_vector
ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_article_search_trigger();

-- A part (section, perspective, citation, watch item) changed: touch its article(s).
CREATE OR REPLACE FUNCTION articles_part_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE articles_article SET search_vector = NULL WHERE id = OLD.article_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.article_id <> OLD.article_id) THEN
        UPDATE articles_article SET search_vector = NULL WHERE id = NEW.article_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER articles_section_search AFTER INSERT OR UPDATE OR DELETE ON articles_section
FOR EACH ROW EXECUTE FUNCTION articles_part_search_trigger();
CREATE TRIGGER articles_citation_search AFTER INSERT OR UPDATE OR DELETE ON articles_citation
FOR EACH ROW EXECUTE FUNCTION articles_part_search_trigger();
CREATE TRIGGER articles_watchitem_search AFTER INSERT OR UPDATE OR DELETE ON articles_watchitem
FOR EACH ROW EXECUTE FUNCTION articles_part_search_trigger();
CREATE TRIGGER experts_perspective_search AFTER INSERT OR UPDATE OR DELETE
ON experts_perspective FOR EACH ROW EXECUTE FUNCTION articles_part_search_trigger();

-- Topics: a tag added to or removed from an article (taggit's generic through table).
CREATE OR REPLACE FUNCTION articles_taggeditem_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    article_type integer := (SELECT id FROM django_content_type
                             WHERE app_label = 'articles' AND model = 'article');
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.content_type_id = article_type THEN
        UPDATE articles_article SET search_vector = NULL WHERE id = OLD.object_id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.content_type_id = article_type THEN
        UPDATE articles_article SET search_vector = NULL WHERE id = NEW.object_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER taggit_taggeditem_search AFTER INSERT OR UPDATE OR DELETE ON taggit_taggeditem
FOR EACH ROW EXECUTE FUNCTION articles_taggeditem_search_trigger();

-- A topic renamed: every article carrying it.
CREATE OR REPLACE FUNCTION articles_tag_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE articles_article SET search_vector = NULL WHERE id IN (
        SELECT item.object_id FROM taggit_taggeditem item
        JOIN django_content_type ct ON ct.id = item.content_type_id
        WHERE ct.app_label = 'articles' AND ct.model = 'article' AND item.tag_id = NEW.id);
    RETURN NULL;
END $$;

CREATE TRIGGER taggit_tag_search AFTER UPDATE OF name ON taggit_tag
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION articles_tag_search_trigger();

-- An expert renamed: every article quoting them.
CREATE OR REPLACE FUNCTION articles_expert_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE articles_article SET search_vector = NULL WHERE id IN (
        SELECT article_id FROM experts_perspective WHERE expert_id = NEW.id);
    RETURN NULL;
END $$;

CREATE TRIGGER experts_expert_search AFTER UPDATE OF name ON experts_expert
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION articles_expert_search_trigger();

CREATE INDEX articles_article_search_gin ON articles_article USING gin (search_vector);
CREATE INDEX articles_article_headline_trgm ON articles_article USING gin (headline gin_trgm_ops);
CREATE INDEX taggit_tag_name_trgm ON taggit_tag USING gin (name gin_trgm_ops);
CREATE INDEX experts_expert_name_trgm ON experts_expert USING gin (name gin_trgm_ops);

-- Articles written before this migration.
UPDATE articles_article SET search_vector = NULL;
"""

BACKWARD_SQL = r"""
DROP INDEX IF EXISTS experts_expert_name_trgm;
DROP INDEX IF EXISTS taggit_tag_name_trgm;
DROP INDEX IF EXISTS articles_article_headline_trgm;
DROP INDEX IF EXISTS articles_article_search_gin;
DROP TRIGGER IF EXISTS experts_expert_search ON experts_expert;
DROP TRIGGER IF EXISTS taggit_tag_search ON taggit_tag;
DROP TRIGGER IF EXISTS taggit_taggeditem_search ON taggit_taggeditem;
DROP TRIGGER IF EXISTS experts_perspective_search ON experts_perspective;
DROP TRIGGER IF EXISTS articles_watchitem_search ON articles_watchitem;
DROP TRIGGER IF EXISTS articles_citation_search ON articles_citation;
DROP TRIGGER IF EXISTS articles_section_search ON articles_section;
DROP TRIGGER IF EXISTS articles_article_search ON articles_article;
DROP FUNCTION IF EXISTS articles_expert_search_trigger();
DROP FUNCTION IF EXISTS articles_tag_search_trigger();
DROP FUNCTION IF EXISTS articles_taggeditem_search_trigger();
DROP FUNCTION IF EXISTS articles_part_search_trigger();
DROP FUNCTION IF EXISTS articles_article_search_trigger();
DROP FUNCTION IF EXISTS articles_search_vector(bigint, text, text, text, text, text);
"""


def on_postgresql(sql):
    """Run `sql` on PostgreSQL only; SQLite searches without any of it."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0003_article_lead_image_author_portrait_section_image"),
        ("experts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        # CreateExtension does nothing on databases other than PostgreSQL.
        TrigramExtension(),
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(on_postgresql(FORWARD_SQL), on_postgresql(BACKWARD_SQL)),
    ]
