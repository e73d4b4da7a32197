"""
Merging duplicate experts: the same person entered twice ("Fiona Hill", "Dr Fiona Hill").

Every perspective of the duplicates moves to the expert kept, empty fields of the kept
expert are filled from the duplicates, and each duplicate's slug becomes an
ExpertRedirect, so its old page answers with a permanent redirect to the kept one.
"""

from django.db import transaction

from .models import Expert, ExpertRedirect, Perspective

# Filled on the kept expert from a duplicate when the kept one has none.
FILLED_FIELDS = ["credential", "affiliation", "bio", "url", "portrait"]


@transaction.atomic
def merge_experts(keep: Expert, duplicates) -> int:
    """Merge `duplicates` into `keep`; returns how many perspectives moved."""
    duplicates = [expert for expert in duplicates if expert.pk != keep.pk]
    if not duplicates:
        return 0
    pks = [expert.pk for expert in duplicates]
    # One save each (merges are rare): post_save tells caches which articles changed.
    perspectives = list(Perspective.objects.filter(expert_id__in=pks))
    for perspective in perspectives:
        perspective.expert = keep
        perspective.save(update_fields=["expert"])
    moved = len(perspectives)
    changed = []
    for name in FILLED_FIELDS:
        attname = Expert._meta.get_field(name).attname
        if not getattr(keep, attname):
            value = next((getattr(e, attname) for e in duplicates if getattr(e, attname)), None)
            if value:
                setattr(keep, attname, value)
                changed.append(name)
    if changed:
        keep.save(update_fields=changed)
    # Older redirects to a duplicate now go straight to the kept expert.
    ExpertRedirect.objects.filter(expert_id__in=pks).update(expert=keep)
    old_slugs = [expert.slug for expert in duplicates]
    Expert.objects.filter(pk__in=pks).delete()
    ExpertRedirect.objects.bulk_create(
        [ExpertRedirect(old_slug=slug, expert=keep) for slug in old_slugs]
    )
    # The kept expert's own slug must never redirect elsewhere.
    ExpertRedirect.objects.filter(old_slug=keep.slug).delete()
    return moved
