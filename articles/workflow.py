"""
The editorial workflow: who may do what to an article, in one place.

States: draft → in review → scheduled → published → unpublished (withdrawn).
Every transition is described once in TRANSITIONS (which states it leaves, which it
reaches, the permission it needs, whether the publish checklist must pass); the admin's
buttons and actions ask `allowed_transitions()` what to offer, and `perform()` checks
the same rules again on the server before it changes anything. Roles are Django groups
(created by migration 0003) holding the permissions named here.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date

from .models import Article

Status = Article.Status

# The roles, as Django groups. Their exact permissions are set by a data migration.
WRITER, EDITOR, ADMIN = "Writer", "Editor", "Admin"


@dataclass(frozen=True)
class TransitionRule:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    # None: anyone who may edit the article (a writer, for their own draft).
    permission: str | None = None
    needs_checklist: bool = False


TRANSITIONS = {
    rule.name: rule
    for rule in [
        TransitionRule("submit", "Submit for review", frozenset({Status.DRAFT}), Status.IN_REVIEW),
        TransitionRule(
            "send_back",
            "Send back to draft",
            frozenset({Status.IN_REVIEW, Status.SCHEDULED, Status.UNPUBLISHED}),
            Status.DRAFT,
            permission="articles.publish_article",
        ),
        TransitionRule(
            "schedule",
            "Schedule",
            frozenset({Status.DRAFT, Status.IN_REVIEW}),
            Status.SCHEDULED,
            permission="articles.schedule_article",
            needs_checklist=True,
        ),
        TransitionRule(
            "publish",
            "Publish now",
            frozenset({Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED, Status.UNPUBLISHED}),
            Status.PUBLISHED,
            permission="articles.publish_article",
            needs_checklist=True,
        ),
        TransitionRule(
            "unpublish",
            "Unpublish",
            frozenset({Status.PUBLISHED, Status.SCHEDULED}),
            Status.UNPUBLISHED,
            permission="articles.unpublish_article",
        ),
    ]
}


class TransitionRefused(Exception):
    """A transition that the rules do not allow; `reasons` says what to do about it."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(reasons))


class Transition(models.Model):
    """One change of an article's state: who, when, from what, to what, and why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField(
        max_length=20, choices=[(t.name, t.label) for t in TRANSITIONS.values()]
    )
    from_status = models.CharField(max_length=20, choices=Status)
    to_status = models.CharField(max_length=20, choices=Status)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        get_latest_by = "at"

    def __str__(self):
        return f"{self.article}: {self.from_status} → {self.to_status}"


def can_edit(user, article: Article | None) -> bool:
    """Editors edit any article; writers only their own drafts."""
    if not user.has_perm("articles.change_article"):
        return False
    if article is None or article.pk is None or user.has_perm("articles.edit_any_article"):
        return True
    return article.status == Status.DRAFT and article.is_owned_by(user)


def can_write_editors_comment(user) -> bool:
    return user.has_perm("articles.write_editors_comment")


def refusal_reasons(user, article: Article, name: str, now=None) -> list[str]:
    """Why `user` may not apply transition `name` to `article` now; empty if they may."""
    rule = TRANSITIONS.get(name)
    if rule is None:
        return [f"There is no transition called “{name}”."]
    if article.status not in rule.sources:
        return [f"A {article.get_status_display().lower()} article cannot be “{rule.label}”."]
    if rule.permission is None and not can_edit(user, article):
        return ["You may not edit this article."]
    if rule.permission is not None and not user.has_perm(rule.permission):
        return [f"Your role may not “{rule.label}”."]
    now = now or timezone.now()
    reasons = []
    if name == "schedule" and (article.published_at is None or article.published_at <= now):
        reasons.append("Set a publish time in the future to schedule the article.")
    if name == "send_back" and article.status == Status.SCHEDULED and article.is_published:
        reasons.append("The article is already live: unpublish it instead.")
    if name == "publish" and article.unpublish_at is not None and article.unpublish_at <= now:
        reasons.append("Its unpublish time has passed: clear or move it first.")
    if rule.needs_checklist:
        reasons += article.publish_problems()
    return reasons


def allowed_transitions(user, article: Article) -> list[TransitionRule]:
    """The transitions to offer `user` as buttons (the checklist is checked on pressing)."""
    return [
        rule
        for rule in TRANSITIONS.values()
        if article.status in rule.sources
        and (user.has_perm(rule.permission) if rule.permission else can_edit(user, article))
    ]


def perform(article: Article, name: str, user, note: str = "") -> Transition:
    """
    Apply a transition after checking it again on the locked row; record it and a revision.
    Raises TransitionRefused, changing nothing, when the rules do not allow it.
    """
    from .revisions import Revision

    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        reasons = refusal_reasons(user, locked, name)
        if reasons:
            raise TransitionRefused(reasons)
        rule, now = TRANSITIONS[name], timezone.now()
        from_status = locked.status
        locked.status = rule.target
        # The publish date is the first publication: set once, never moved after.
        if name == "publish" and (locked.published_at is None or locked.published_at > now):
            locked.published_at = now
        locked.version += 1
        locked.save(update_fields=["status", "published_at", "version", "updated_at"])
        record = Transition.objects.create(
            article=locked,
            name=name,
            from_status=from_status,
            to_status=rule.target,
            note=note.strip(),
            by=user,
            at=now,
        )
        Revision.capture(locked, user, note=f"{rule.label}" + (f": {note.strip()}" if note else ""))
    for field in ("status", "published_at", "version", "updated_at"):
        setattr(article, field, getattr(locked, field))
    return record


def newsroom_time(value, with_date: bool = True) -> str:
    """A time in the newsroom's TIME_ZONE, with its zone named: “3 Dec 2025, 09:00 GMT”."""
    if value is None:
        return "—"
    local = timezone.localtime(value, timezone.get_default_timezone())
    return format_date(local, "j M Y, H:i T" if with_date else "H:i T")
