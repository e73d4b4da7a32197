"""
The newsroom's roles as groups with exact permissions, and modified dates for old rows.

Writer: writes articles (only their own drafts: articles.workflow.can_edit) and adds
experts; Editor: edits any article, publishes, schedules, unpublishes, writes editor's
comments and corrections; Admin: every permission of the newsroom's apps (site settings too) and of accounts.
The lists are frozen here on purpose: a later permission joins a role by a new migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import F
from django.db.models.functions import Coalesce

PARTS = ["byline", "section", "citation", "watchitem"]

WRITER = (
    ["articles.add_article", "articles.change_article", "articles.view_article"]
    + [f"articles.{action}_{part}" for part in PARTS for action in ("add", "change", "delete", "view")]
    + ["experts.add_perspective", "experts.change_perspective", "experts.delete_perspective"]
    + ["experts.view_perspective", "experts.add_expert", "experts.change_expert"]
    + ["experts.view_expert", "articles.view_author", "articles.view_category"]
    + ["articles.view_revision"]
    # Lead and section images: choose from the library, or upload one in place.
    + ["images.add_image", "images.view_image"]
)

EDITOR = WRITER + [
    "articles.delete_article",
    "articles.publish_article",
    "articles.schedule_article",
    "articles.unpublish_article",
    "articles.write_editors_comment",
    "articles.edit_any_article",
    "articles.add_author",
    "articles.change_author",
    "articles.add_category",
    "articles.change_category",
    "articles.add_correction",
    "articles.change_correction",
    "articles.delete_correction",
    "articles.view_correction",
    "articles.add_previewlink",
    "articles.change_previewlink",
    "articles.view_previewlink",
    "articles.view_transition",
    "articles.view_slugredirect",
    "articles.add_slugredirect",
    "articles.change_slugredirect",
    "experts.delete_expert",
    "taggit.view_tag",
    "taggit.change_tag",
    "images.change_image",
    "images.delete_image",
]

ADMIN_APPS = ["articles", "experts", "images", "taggit", "site_settings", "auth"]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(names):
        wanted = {tuple(name.split(".")) for name in names}
        found = [
            perm
            for perm in Permission.objects.select_related("content_type")
            if (perm.content_type.app_label, perm.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
        if missing:
            raise RuntimeError(f"Permissions missing for the roles: {sorted(missing)}")
        return found

    Group.objects.get_or_create(name="Writer")[0].permissions.set(permissions(WRITER))
    Group.objects.get_or_create(name="Editor")[0].permissions.set(permissions(EDITOR))
    Group.objects.get_or_create(name="Admin")[0].permissions.set(
        Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Writer", "Editor", "Admin"]).delete()


def date_existing_articles(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.update(modified_at=Coalesce(F("published_at"), F("created_at")))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_workflow"),
        ("experts", "0001_initial"),
        ("site_settings", "0001_initial"),
        ("images", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, remove_roles),
        migrations.RunPython(date_existing_articles, migrations.RunPython.noop),
    ]
