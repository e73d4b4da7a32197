"""
Revisions: a complete snapshot of an article on every save, and a diff that speaks the
article's structure. (Restoring one puts it into the change form, unsaved, for the editor
to save as a new revision: articles/admin_revisions.py.)

A snapshot is plain JSON (fields, byline, sections, perspectives, citations, watch
items, topics), so it outlives schema changes and can be diffed without the database.
Each part keeps its row id, so a diff pairs parts by identity: a reordered section is
"moved", not every section "edited". (Snapshots from before ids were kept, and watch items
stored as bare text, are paired by position, as before.) Restoring keeps the ids of the
parts that still exist, so later diffs still pair them.
"""

import difflib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags

from .models import Article, Byline, Citation, Section, WatchItem

# Article fields a snapshot keeps, with the words a diff uses for them.
SNAPSHOT_FIELDS = {
    "headline": "headline",
    "slug": "address (slug)",
    "brief": "brief",
    "looking_ahead_intro": "Looking Ahead introduction",
    "bottom_line": "bottom line",
    "editors_comment": "editor's comments",
    "unpublish_at": "unpublish time",
}


class Revision(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Article.Status)
    article_version = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)
    restored_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique")
        ]

    def __str__(self):
        return f"Revision {self.number} of “{self.article}”"

    @classmethod
    def capture(cls, article: Article, user=None, note: str = "", restored_from=None):
        """Store the article as it now is in the database, as the next revision."""
        last = cls.objects.filter(article=article).aggregate(models.Max("number"))["number__max"]
        return cls.objects.create(
            article=article,
            number=(last or 0) + 1,
            created_by=user if user and user.is_authenticated else None,
            status=article.status,
            article_version=article.version,
            note=note[:300],
            restored_from=restored_from,
            snapshot=snapshot(article),
        )

    def previous(self):
        return (
            Revision.objects.filter(article_id=self.article_id, number__lt=self.number)
            .order_by("-number")
            .first()
        )


def snapshot(article: Article) -> dict:
    """Everything the article holds, read fresh from the database, as JSON-ready data."""
    from experts.models import Perspective

    data = {name: getattr(article, name) for name in SNAPSHOT_FIELDS}
    data["unpublish_at"] = article.unpublish_at.isoformat() if article.unpublish_at else None
    data["published_at"] = article.published_at.isoformat() if article.published_at else None
    data["status"] = article.status
    data["category"] = (
        {"id": article.category_id, "name": article.category.name} if article.category else None
    )
    data["byline"] = [
        {"author_id": entry.author_id, "name": entry.author.name}
        for entry in Byline.objects.filter(article=article).select_related("author")
    ]
    data["lead_image_id"] = article.lead_image_id
    data["sections"] = [
        {"id": s.pk, "heading": s.heading, "body": s.body, "image_id": s.image_id}
        for s in Section.objects.filter(article=article)
    ]
    data["perspectives"] = [
        {
            "id": p.pk,
            "expert_id": p.expert_id,
            "expert": p.expert.name,
            "credential": p.credential,
            "quote": p.quote,
            "disclosure": p.disclosure,
        }
        for p in Perspective.objects.filter(article=article).select_related("expert")
    ]
    data["citations"] = [
        {
            "id": c.pk,
            "claim": c.claim,
            "source_name": c.source_name,
            "source_url": c.source_url,
            "source_date": c.source_date.isoformat() if c.source_date else None,
            "source_id": c.source_id,
            "archived_url": c.archived_url,
        }
        for c in Citation.objects.filter(article=article)
    ]
    data["watch_items"] = [
        {"id": w.pk, "text": w.text} for w in WatchItem.objects.filter(article=article)
    ]
    data["topics"] = sorted(article.topics.names())
    return data


@dataclass
class Change:
    """One difference between two revisions, said in the article's own terms."""

    summary: str
    # The edited text as (kind, words) runs, kind being "same", "del" or "ins".
    words: list[tuple[str, str]] = field(default_factory=list)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Runs of unchanged, deleted and inserted words between two texts."""
    old_words, new_words = old.split(), new.split()
    runs = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", " ".join(old_words[i1:i2])))
            continue
        if op in ("delete", "replace"):
            runs.append(("del", " ".join(old_words[i1:i2])))
        if op in ("insert", "replace"):
            runs.append(("ins", " ".join(new_words[j1:j2])))
    return runs


def _text_change(summary: str, old: str, new: str) -> Change:
    return Change(summary, word_diff(old or "", new or ""))


def _parts_diff(kind: str, old: list, new: list, compare, name=None) -> list[Change]:
    """
    The changes between two lists of parts: paired by their ids when every part has one
    (so additions, removals and moves say so), by position otherwise.
    `name(part)` is how a part is named when it is added, removed or moved.
    """
    if not all(isinstance(part, dict) and part.get("id") for part in [*old, *new]):
        return _parts_diff_by_position(kind, old, new, compare)

    def label(number, part):
        what = name(part) if name else ""
        return f"{kind} {number}" + (f" (“{what}”)" if what else "")

    old_at = {part["id"]: number for number, part in enumerate(old, start=1)}
    new_at = {part["id"]: number for number, part in enumerate(new, start=1)}
    kept_in_old_order = [part["id"] for part in old if part["id"] in new_at]
    kept_in_new_order = [part["id"] for part in new if part["id"] in old_at]
    # The longest run that kept its order stays put; the other kept parts were moved.
    matcher = difflib.SequenceMatcher(a=kept_in_old_order, b=kept_in_new_order, autojunk=False)
    in_place = {
        ident
        for block in matcher.get_matching_blocks()
        for ident in kept_in_old_order[block.a : block.a + block.size]
    }
    changes = []
    for number, part in enumerate(old, start=1):
        if part["id"] not in new_at:
            changes.append(Change(f"{label(number, part)} removed"))
    for number, part in enumerate(new, start=1):
        ident = part["id"]
        if ident not in old_at:
            changes.append(Change(f"{label(number, part)} added"))
            continue
        before = old[old_at[ident] - 1]
        if ident not in in_place:
            changes.append(Change(f"{label(old_at[ident], before)} moved to position {number}"))
        if _content(before) != _content(part):
            changes += compare(number, _content(before), _content(part))
    return changes


def _content(part):
    """A part without its id: what an editor wrote."""
    if isinstance(part, dict) and "id" in part:
        part = {key: value for key, value in part.items() if key != "id"}
        return part["text"] if set(part) == {"text"} else part
    return part


def _parts_diff_by_position(kind: str, old: list, new: list, compare) -> list[Change]:
    changes = []
    for number in range(1, max(len(old), len(new)) + 1):
        before = old[number - 1] if number <= len(old) else None
        after = new[number - 1] if number <= len(new) else None
        if before is None:
            changes.append(Change(f"{kind} {number} added"))
        elif after is None:
            changes.append(Change(f"{kind} {number} removed"))
        elif _content(before) != _content(after):
            changes += compare(number, _content(before), _content(after))
    return changes


def _section(number, before, after):
    changes = []
    if before["heading"] != after["heading"]:
        changes.append(
            Change(f"section {number} retitled from “{before['heading']}” to “{after['heading']}”")
        )
    if before.get("image_id") != after.get("image_id"):
        changes.append(Change(f"section {number}: image changed"))
    if before["body"] != after["body"]:
        changes.append(
            _text_change(
                f"section “{after['heading']}” edited",
                strip_tags(before["body"]),
                strip_tags(after["body"]),
            )
        )
    return changes


def _perspective(number, before, after):
    changes = []
    if before["expert_id"] != after["expert_id"]:
        changes.append(
            Change(
                f"perspective {number} re-attributed from {before['expert']} to {after['expert']}"
            )
        )
    if before["credential"] != after["credential"]:
        changes.append(
            _text_change(
                f"perspective {number}: credential changed",
                before["credential"],
                after["credential"],
            )
        )
    if before["quote"] != after["quote"]:
        changes.append(
            _text_change(f"perspective {number}: quote edited", before["quote"], after["quote"])
        )
    if before.get("disclosure", "") != after.get("disclosure", ""):
        changes.append(
            _text_change(
                f"perspective {number}: disclosure changed",
                before.get("disclosure", ""),
                after.get("disclosure", ""),
            )
        )
    return changes


def _citation(number, before, after):
    changes = []
    if before["claim"] != after["claim"]:
        changes.append(
            _text_change(f"citation {number}: claim edited", before["claim"], after["claim"])
        )
    for key, words in [
        ("source_name", "source name"),
        ("source_url", "source URL"),
        ("source_date", "source date"),
        ("archived_url", "archived copy"),
    ]:
        if before.get(key) != after.get(key):
            changes.append(
                Change(
                    f"citation {number}: {words} changed",
                    word_diff(before.get(key) or "", after.get(key) or ""),
                )
            )
    return changes


def _watch_item(number, before, after):
    return [_text_change(f"development to watch {number} edited", before, after)]


def diff(old: dict, new: dict) -> list[Change]:
    """What changed from snapshot `old` to snapshot `new`, part by part."""
    changes = []
    for name, words in SNAPSHOT_FIELDS.items():
        if old.get(name) != new.get(name):
            changes.append(
                _text_change(f"{words} edited", old.get(name) or "", new.get(name) or "")
            )
    if old.get("status") != new.get("status"):
        changes.append(Change(f"state changed from {old.get('status')} to {new.get('status')}"))
    if old.get("published_at") != new.get("published_at"):
        changes.append(Change("publish time changed"))
    if old.get("lead_image_id") != new.get("lead_image_id"):
        changes.append(Change("lead image changed"))
    if old.get("category") != new.get("category"):
        name = (new.get("category") or {}).get("name", "none")
        changes.append(Change(f"category changed to {name}"))
    old_names = [entry["name"] for entry in old.get("byline", [])]
    new_names = [entry["name"] for entry in new.get("byline", [])]
    if old_names != new_names:
        changes.append(
            Change(f"byline changed from {', '.join(old_names)} to {', '.join(new_names)}")
        )
    changes += _parts_diff(
        "section",
        old.get("sections", []),
        new.get("sections", []),
        _section,
        name=lambda part: part["heading"],
    )
    changes += _parts_diff(
        "perspective",
        old.get("perspectives", []),
        new.get("perspectives", []),
        _perspective,
        name=lambda part: part["expert"],
    )
    changes += _parts_diff(
        "citation", old.get("citations", []), new.get("citations", []), _citation
    )
    changes += _parts_diff(
        "development to watch",
        old.get("watch_items", []),
        new.get("watch_items", []),
        _watch_item,
    )
    added = sorted(set(new.get("topics", [])) - set(old.get("topics", [])))
    removed = sorted(set(old.get("topics", [])) - set(new.get("topics", [])))
    if added:
        changes.append(Change(f"topics added: {', '.join(added)}"))
    if removed:
        changes.append(Change(f"topics removed: {', '.join(removed)}"))
    return changes
