"""
Paginators whose cost does not grow with the archive.

Django's Paginator counts every matching row on every request and reaches deep pages
with OFFSET, which reads every row before them: with 100,000 articles both grow with the
archive. Here counts stop at a bound, so a page costs the same however old the site is.
"""

from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

# Reader-facing lists go back this many pages (1,200 articles at 12 a page); older
# articles are reached by category, topic, author, search and the sitemaps.
ARCHIVE_MAX_PAGES = 100


def count_up_to(queryset, bound: int = 999) -> int | str:
    """How many rows, up to `bound` ("999+" beyond): a count that never reads the table."""
    found = queryset[: bound + 1].count()
    return f"{bound}+" if found > bound else found


class BoundedPaginator(Paginator):
    """Counts at most `max_items` rows: SELECT COUNT(*) FROM (… LIMIT n), never the table."""

    max_items = 10_000

    @cached_property
    def count(self) -> int:
        if hasattr(self.object_list, "query"):
            return self.to_count(self.object_list)[: self.max_items].count()
        return min(len(self.object_list), self.max_items)

    def to_count(self, queryset):
        # Kept in the list's order: a reader's list is ordered as an index is (newest
        # first, within a category, topic or author), so the database walks that index
        # and stops at the bound. Unordered, it chose to gather every article of a
        # 28,000-article category from the heap: 8.5 ms instead of 1.
        return queryset


class ArchivePaginator(BoundedPaginator):
    """Public lists: at most ARCHIVE_MAX_PAGES pages, so OFFSET stays small."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.max_items = ARCHIVE_MAX_PAGES * int(per_page)


class AdminPaginator(BoundedPaginator):
    """The admin's article list: on PostgreSQL, the planner's row estimate when nothing
    narrows the list (no scan at all), else a count bounded at `max_items` rows. The
    count shown may be approximate; the rows shown are always exact."""

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if connection.vendor == "postgresql" and query is not None and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [self.object_list.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] >= self.max_items:
                return row[0]
        return super().count

    def to_count(self, queryset):
        # Unordered: editors sort by any column, and sorted the database orders every
        # matching row before stopping at the bound (16.6 ms against 5.8 for "published"
        # at 20,000 articles).
        return queryset.order_by()
