"""The benchmark runner (newsroom/bench.py) and the shipped nginx configuration it uses."""

import shutil
import subprocess
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsroom import bench

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.43ms    1.00ms  20.00ms   90.00%
    Req/Sec     1.65k   100.00     1.80k    70.00%
  Latency Distribution
     50%  850.00us
     75%    2.80ms
     90%    3.20ms
     99%    1.20s
  9876 requests in 3.00s, 100.00MB read
  Socket errors: connect 1, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:   3290.50
Transfer/sec:     33.00MB
"""


class FakeAnswer:
    status = 200

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_wrk_figures_are_read_in_milliseconds_with_every_error(monkeypatch):
    monkeypatch.setattr(bench.urllib.request, "urlopen", lambda *a, **k: FakeAnswer())
    runs = []
    monkeypatch.setattr(
        bench.subprocess,
        "run",
        lambda command, **k: (
            runs.append(command)
            or subprocess.CompletedProcess(command, 0, stdout=WRK_OUTPUT, stderr="")
        ),
    )
    figures = bench.wrk("http://127.0.0.1:8000/", seconds=3, connections=8)
    assert figures == {"rps": 3290.5, "p50": 0.85, "p99": 1200.0, "errors": 10}
    # The same load, unmeasured, first: the figures are of workers in their steady state.
    warmup, measured = runs
    assert warmup[warmup.index("-d") + 1] == f"{bench.WARMUP_SECONDS}s"
    assert "--latency" not in warmup and warmup[warmup.index("-c") + 1] == "8"
    assert measured[measured.index("-d") + 1] == "3s" and "--latency" in measured


def test_one_table_with_ratios_to_the_base():
    figures = {"rps": 2000.0, "p50": 1.0, "p99": 4.0, "errors": 0, "queries": 8, "rss": 70.0}
    base = {("article", "cached"): figures | {"rps": 1000.0, "p99": 8.0}}
    text = bench.table({("article", "cached"): figures}, base, "main")
    header, rule, row = text.splitlines()
    assert header.split()[:8] == ["page", "mode", "req/s", "p50", "ms", "p99", "ms", "errors"]
    assert row.split() == ["article", "cached", "2,000", "1.00", "4.00", "0", "8", "70"] + [
        "1,000",
        "2.00",
        "8.00",
        "0.50",
    ]


class App(BaseHTTPRequestHandler):
    """Stands in for gunicorn: a public page, counted, as the app's headers say."""

    hits = 0

    def do_GET(self):
        App.hits += 1
        body = b"<p>page</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "public, max-age=0, s-maxage=60")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_shipped_nginx_config_micro_caches_readers_and_never_staff(tmp_path):
    app = ThreadingHTTPServer(("127.0.0.1", 0), App)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "site.css").write_text("body{}")
    try:
        with bench.nginx(tmp_path, app.server_port, tmp_path, b"<p>static</p>") as (site, base):

            def get(path, **headers):
                request = urllib.request.Request(site + path, headers=headers)
                with urllib.request.urlopen(request) as answer:
                    return answer.headers, answer.read()

            App.hits = 0
            assert get("/page/")[0]["X-Micro-Cache"] == "MISS"
            assert get("/page/")[0]["X-Micro-Cache"] == "HIT"
            assert App.hits == 1
            staff = {"Cookie": "theme=dark; __Host-sessionid=abc"}
            assert get("/page/", **staff)[0]["X-Micro-Cache"] == "BYPASS"
            assert App.hits == 2
            headers, body = get("/static/site.css")  # served by nginx itself
            assert body == b"body{}" and "immutable" in headers["Cache-Control"]
            assert App.hits == 2
            with urllib.request.urlopen(base) as answer:
                assert answer.read() == b"<p>static</p>"
    finally:
        app.shutdown()


def test_the_admin_row_has_no_worker_memory():
    figures = {"rps": 20.0, "p50": 45.0, "p99": 90.0, "errors": 0, "queries": 15, "rss": None}
    row = bench.table({("admin", "signed-in"): figures}, None, "main").splitlines()[-1]
    assert row.split() == ["admin", "signed-in", "20", "45.00", "90.00", "0", "15", "-"]


@pytest.mark.django_db
def test_the_admin_list_is_timed_signed_in_as_a_superuser_without_a_password():
    from django.contrib.auth import get_user_model

    from newsroom import bench_probe
    from tests.factories import make_article

    make_article()
    figures = bench_probe.time_admin_list(requests=3)
    assert figures["url"] == "/admin/articles/article/"
    assert 0 < figures["p50"] <= figures["p99"]
    assert figures["queries"] > 0
    user = get_user_model().objects.get(username="bench-admin")
    assert user.is_superuser and not user.has_usable_password()
