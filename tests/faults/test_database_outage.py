"""
PostgreSQL stopped and restarted under load, for real: a cluster of our own (initdb,
pg_ctl) and the site served against it with production's connection settings.

Readers get a 503 page (not a traceback, not a dropped connection) while the database is
down; the site recovers by itself when it comes back; an editor's save during the outage
says it was not saved and shows the text; under normal load nothing errs and no save is lost.
"""

import threading
import time

import psycopg

from newsroom import loadtest

RECOVERY_SECONDS = 30


def read_brief(cluster, pk):
    with psycopg.connect(
        cluster.url.replace("postgres://", "postgresql://"), connect_timeout=5
    ) as db:
        row = db.execute("SELECT brief FROM articles_article WHERE id = %s", [pk]).fetchone()
    return row[0] if row else None


def test_load_with_concurrent_admin_saves_has_no_error_and_loses_no_save(site, cluster):
    figures = loadtest.run(
        site.url,
        public_paths=["/", "/experts/", *(url for _, url in site.articles)],
        editor=("editor", site.password),
        article_ids=[pk for pk, _ in site.articles[:2]],
        read_back=lambda pk: read_brief(cluster, pk),
        readers=4,
        seconds=8,
        max_requests=3000,
    )
    print("\nLoad test against the throwaway cluster:\n" + figures.report())
    assert figures.errors == []
    assert figures.lost_saves == []
    assert figures.saves_acknowledged >= 2
    assert figures.saves_verified == figures.saves_acknowledged


def test_outage_under_load_gives_503_pages_then_recovers_by_itself(site, running_cluster):
    cluster = running_cluster
    paths = ["/", *(url for _, url in site.articles), "/experts/"]
    results: list[tuple[float, object, str]] = []
    stop = threading.Event()

    def reader(number):
        session = loadtest.Session(site.url, timeout=20)
        position = number
        while not stop.is_set() and len(results) < 20_000:
            path = paths[position % len(paths)]
            position += 1
            try:
                status, body = session.request(path)
            except Exception as error:  # a refused or dropped connection is a failure
                status, body = type(error).__name__, ""
            results.append((time.monotonic(), status, body))
            time.sleep(0.02)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        cluster.stop()
        stopped_at = time.monotonic()
        time.sleep(3)
        cluster.start()
        restarted_at = time.monotonic()
        # Recovery: without touching the site, pages come back.
        deadline = restarted_at + RECOVERY_SECONDS
        while time.monotonic() < deadline:
            recent = [status for at, status, _ in results[-8:] if at > restarted_at]
            if len(recent) >= 8 and all(status == 200 for status in recent):
                break
            time.sleep(0.2)
        time.sleep(1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    statuses = [status for _, status, _ in results]
    during = [(status, body) for at, status, body in results if stopped_at < at < restarted_at]
    after = [status for at, status, _ in results if at > restarted_at + RECOVERY_SECONDS / 2]
    recovered = next((at for at, status, _ in results if at > restarted_at and status == 200), None)
    print(
        f"\nOutage: {len(results)} requests, {statuses.count(200)} × 200, "
        f"{statuses.count(503)} × 503, others {sorted(set(statuses) - {200, 503}, key=str)}; "
        f"first 200 {recovered - restarted_at if recovered else float('nan'):.1f} s after restart"
    )
    assert set(statuses) <= {200, 503}, "every answer is a page or the outage page"
    assert any(status == 503 for status, _ in during), "the outage was seen"
    for status, body in during:
        if status == 503:
            assert "right back" in body and "Traceback" not in body
    assert recovered is not None, "the site never recovered"
    assert recovered - restarted_at < RECOVERY_SECONDS
    assert results[-1][1] == 200
    assert all(status == 200 for status in after)


def test_admin_save_during_outage_keeps_the_text_and_saves_after(site, running_cluster):
    cluster = running_cluster
    pk = site.articles[2][0]
    editor = loadtest.Session(site.url)
    editor.sign_in("admin/", "editor", site.password)
    status, fields = editor.article_form("admin/", pk)
    assert status == 200
    words = "A paragraph written while the database was down, with <b>markup</b> & care."
    fields = loadtest.with_value(fields, "brief", words)

    cluster.stop()
    status, body = editor.save_article("admin/", pk, fields)
    assert status == 503
    assert "Your changes were not saved" in body
    assert "A paragraph written while the database was down, with &lt;b&gt;markup&lt;/b&gt;" in body

    cluster.start()
    assert read_brief(cluster, pk) == "Before the fault."  # honest: nothing half-saved
    # The same form, sent again once the database is back, saves (the session survived).
    deadline = time.monotonic() + RECOVERY_SECONDS
    while True:
        status, _ = editor.save_article("admin/", pk, fields)
        if status == 302 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert status == 302
    assert read_brief(cluster, pk) == words
