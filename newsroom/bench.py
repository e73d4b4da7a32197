"""
`make bench`: seed N articles, serve them as production does, load each page with wrk.

    python -m newsroom.bench [--articles N] [--seconds S] [--base REV] [--admin-only]

1. Seeds a database with N realistic articles (manage.py seed_bench): SQLite under
   var/bench/ by default, or the PostgreSQL database named by DATABASE_URL (its name must
   contain "bench": seeding wipes it). A database already holding N articles is reused.
2. Starts gunicorn (2 workers) with production settings and loads each page (article,
   home, category, topic, search, feed, sitemap) with wrk for S seconds on 127.0.0.1,
   each after 2 seconds of the same load unmeasured (WARMUP_SECONDS):
   *uncached* (PAGE_CACHE_SECONDS=0: every request renders the page; the small caches
   of navigation, settings and related articles stay on, as in production), *cached*
   (the full-page cache on), *nginx* (through deploy/nginx/newsroom.conf, micro-cache on)
   and, for the article, *static* (nginx serving the same HTML from a file: the ceiling).
3. Times the admin article list for a signed-in superuser (the "admin" row, mode
   "signed-in"): in one process with the test client (newsroom/bench_probe.py explains
   why and which user), --admin-requests requests one after another after a warm-up.
4. Prints one table: requests/s, median and 99th-percentile latency, errors (non-2xx/3xx
   answers plus socket errors), SQL queries per page (test client, page cache off) and
   the peak resident memory of a gunicorn worker (VmHWM) during that server's runs.

--admin-only times just the admin list against the database as it is (no seeding, no
server, no wrk): a cheap check of that one budget.

With --base REV the same is measured for another revision (a git worktree in a temporary
folder, against the same database) and the table shows both, with ratios (this / base).
Nothing is left running: servers are stopped even when a step fails.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = Path(__file__).resolve().with_name("bench_probe.py")
NGINX_CONF = ROOT / "deploy" / "nginx" / "newsroom.conf"
PAGES = ["article", "home", "category", "topic", "search", "feed", "sitemap", "admin"]
MODES = ["uncached", "cached", "nginx"]
ROW_MODES = [*MODES, "static", "signed-in"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Revision:
    """A checkout of the project to measure: this one, or a worktree of another revision."""

    def __init__(self, label: str, folder: Path, python: Path):
        self.label, self.folder, self.python = label, folder, python

    def run(self, args: list[str], env: dict, **kwargs) -> str:
        result = subprocess.run(
            [str(self.python), *args], cwd=self.folder, env=env, text=True,
            capture_output=True, **kwargs,
        )  # fmt: skip
        if result.returncode:
            raise SystemExit(f"{' '.join(args)} failed in {self.folder}:\n{result.stderr[-3000:]}")
        return result.stdout


def base_revision(rev: str, scratch: Path) -> Revision:
    """A worktree of `rev`; our .venv when its lock file is the same, else its own."""
    folder = scratch / "base"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(folder), rev],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    same_lock = (folder / "requirements.lock").read_bytes() == (
        ROOT / "requirements.lock"
    ).read_bytes()
    if same_lock:
        (folder / ".venv").symlink_to(ROOT / ".venv")
    else:
        say(f"{rev} pins other packages: installing them into its own .venv")
        subprocess.run(["make", "install"], cwd=folder, check=True)
    return Revision(rev, folder, folder / ".venv" / "bin" / "python")


def remove_worktree(folder: Path) -> None:
    subprocess.run(
        ["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, capture_output=True
    )


class Server:
    """gunicorn as production runs it, `workers` sync workers, on a free port."""

    def __init__(
        self, revision: Revision, env: dict, workers: int, log: Path, app: str = "newsroom.wsgi"
    ):
        self.revision, self.env, self.workers, self.log = revision, env, workers, log
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self):
        gunicorn = self.revision.python.with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), self.app, "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--backlog", "2048", "--timeout", "60"],
            cwd=self.revision.folder, env=self.env | {"SITE_URL": self.url},
            stdout=self.log.open("a"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(self.url + "/robots.txt", self.log)
        return self

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def worker_peak_mb(self) -> float:
        """The largest peak resident set (VmHWM) among the workers, in MB."""
        peak = 0
        for pid in child_pids(self.process.pid):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:  # a worker that just exited
                continue
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            peak = max(peak, int(match.group(1)) if match else 0)
        return peak / 1024


def child_pids(parent: int) -> list[str]:
    children = Path(f"/proc/{parent}/task/{parent}/children")
    if children.exists():
        return children.read_text().split()
    found = []  # kernels without that file: read every process's parent
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(parent):
            found.append(stat.parent.name)
    return found


def wait_for(url: str, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer:\n{log.read_text()[-3000:]}")


@contextmanager
def nginx(scratch: Path, app_port: int, var_dir: Path, baseline_html: bytes | None):
    """nginx running the shipped site file (ports and paths swapped) plus, on a second
    port, the baseline: the same HTML as a static file. Yields (site URL, baseline URL)."""
    folder = Path(tempfile.mkdtemp(prefix="nginx-", dir=scratch))
    site_port, static_port = free_port(), free_port()
    site = NGINX_CONF.read_text()
    for shipped, ours in [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen 80;", f"listen 127.0.0.1:{site_port};"),
        ("listen [::]:80;", ""),
        ("/var/cache/nginx/newsroom", str(folder / "cache")),
        ("/srv/newsroom/var", str(var_dir)),
    ]:
        if shipped not in site:
            raise SystemExit(f"deploy/nginx/newsroom.conf no longer has {shipped!r}")
        site = site.replace(shipped, ours)
    (folder / "site.conf").write_text(site)
    (folder / "baseline").mkdir()
    (folder / "baseline" / "article.html").write_bytes(baseline_html or b"")
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"""{user}
worker_processes auto;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
    server {{
        listen 127.0.0.1:{static_port};
        root {folder}/baseline;
        default_type text/html;
    }}
}}
"""
    )
    command = ["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf")]
    for args in ([*command, "-t"], command):
        result = subprocess.run(args, capture_output=True, text=True)
        if result.returncode:
            raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr}")
    try:
        wait_for(f"http://127.0.0.1:{static_port}/article.html", folder / "error.log")
        yield f"http://127.0.0.1:{site_port}", f"http://127.0.0.1:{static_port}/article.html"
    finally:
        subprocess.run([*command, "-s", "stop"], capture_output=True)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


# Unmeasured load before each run: every worker's connection prepares its statements
# (after 5 runs), fills its per-process memories (addresses, templates) and reaches its
# steady state, which the figures are about.
WARMUP_SECONDS = 2


def wrk(url: str, seconds: int, connections: int) -> dict:
    """requests/s, median and p99 latency (ms) and errors of `seconds` of load on `url`,
    after WARMUP_SECONDS of the same load unmeasured."""
    with urllib.request.urlopen(url, timeout=30) as answer:  # fail early
        if answer.status != 200:
            raise SystemExit(f"{url} answered {answer.status}")
    subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{WARMUP_SECONDS}s", url],
        capture_output=True, timeout=WARMUP_SECONDS + 60,
    )  # fmt: skip
    result = subprocess.run(
        ["wrk", "--latency", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", url],
        capture_output=True, text=True, timeout=seconds + 60,
    )  # fmt: skip
    out = result.stdout
    if "Requests/sec" not in out:
        raise SystemExit(f"wrk failed on {url}:\n{out}\n{result.stderr}")

    def latency(pct: str) -> float:
        match = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if match is None:  # no request completed
            return float("nan")
        value, unit = match.groups()
        return float(value) * UNITS[unit]

    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": socket_errors + (int(bad.group(1)) if bad else 0),
    }


def measure_admin(revision: Revision, env: dict, options) -> dict:
    """The admin article list, signed in: {("admin", "signed-in"): figures}."""
    say(f"  {revision.label}: admin article list, signed in")
    figures = json.loads(
        revision.run(
            [str(PROBE), "admin", str(options.admin_requests)], env | {"PAGE_CACHE_SECONDS": "0"}
        )
    )
    return {("admin", "signed-in"): figures | {"errors": 0, "rss": None}}


def measure(revision: Revision, env: dict, urls: dict, options, scratch: Path) -> dict:
    """Every page in every mode for one revision: {(page, mode): figures}."""
    results = measure_admin(revision, env, options)
    log = scratch / f"gunicorn-{re.sub(r'[^a-z0-9]+', '-', revision.label.lower())}.log"
    queries = json.loads(
        revision.run([str(PROBE), "queries", *urls.values()], env | {"PAGE_CACHE_SECONDS": "0"})
    )
    for mode, page_cache in [("uncached", "0"), ("cached", "600")]:
        server_env = env | {"PAGE_CACHE_SECONDS": page_cache}
        with Server(revision, server_env, options.workers, log) as server:
            for page, path in urls.items():
                say(f"  {revision.label}: {page} {mode}")
                figures = wrk(server.url + path, options.seconds, options.connections)
                results[page, mode] = figures | {
                    "queries": queries[path],
                    "rss": server.worker_peak_mb(),
                }
            if mode == "cached":
                with urllib.request.urlopen(server.url + urls["article"]) as answer:
                    article_html = answer.read()
                var_dir = Path(env["NEWSROOM_VAR_DIR"])
                with nginx(scratch, server.port, var_dir, article_html) as (site, baseline):
                    for page, path in urls.items():
                        say(f"  {revision.label}: {page} through nginx")
                        figures = wrk(site + path, options.seconds, options.connections)
                        results[page, "nginx"] = figures | {
                            "queries": queries[path],
                            "rss": server.worker_peak_mb(),
                        }
                    say(f"  {revision.label}: article as a static file")
                    figures = wrk(baseline, options.seconds, options.connections)
                    results["article", "static"] = figures | {"queries": None, "rss": None}
    return results


def table(results: dict, base: dict | None, base_label: str) -> str:
    header = ["page", "mode", "req/s", "p50 ms", "p99 ms", "errors", "queries", "worker MB"]
    if base:
        header += [f"{base_label} req/s", "×", f"{base_label} p99", "×"]
    rows = [header]
    for page in PAGES:
        for mode in ROW_MODES:
            figures = results.get((page, mode))
            if figures is None:
                continue
            row = [page, mode, *figure_cells(figures)]
            if base:
                other = base.get((page, mode))
                if other:
                    row += [
                        f"{other['rps']:,.0f}",
                        ratio(figures["rps"], other["rps"]),
                        f"{other['p99']:.2f}",
                        ratio(figures["p99"], other["p99"]),
                    ]
                else:
                    row += ["-"] * 4
            rows.append(row)
    return aligned(rows)


def figure_cells(figures: dict) -> list[str]:
    """req/s, p50, p99, errors, queries and worker MB as cells; "-" for what was not measured
    (a static file has no queries, a run outside gunicorn no worker)."""
    queries, rss = figures["queries"], figures["rss"]
    return [
        f"{figures['rps']:,.0f}",
        f"{figures['p50']:.2f}",
        f"{figures['p99']:.2f}",
        str(figures["errors"]),
        "-" if queries is None else str(queries),
        "-" if rss is None else f"{rss:.0f}",
    ]


def ratio(this: float, other: float) -> str:
    return f"{this / other:.2f}" if other else "-"


def aligned(rows: list[list[str]]) -> str:
    """Rows as text columns under a ruled header: two label columns, then figures."""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(width)]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def ensure_postgres_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database when it does not exist yet."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    server = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
        name = config["NAME"]
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            say(f"Creating the PostgreSQL database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def production_env(database: str, var_dir: Path) -> dict:
    """The environment gunicorn and manage.py run Newsroom with: production settings."""
    return {
        key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE"}
    } | {
        "NEWSROOM_PRODUCTION": "1",
        "SECRET_KEY": "bench-only-not-secret-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on 127.0.0.1; TLS is nginx's job
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database,
        "CONN_MAX_AGE": "60",
        "NEWSROOM_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
        # With REDIS_URL set, pages are cached in Redis, as in production; else in each
        # worker's memory (fine for a benchmark, which changes nothing while it loads).
        "CACHE_KEY_PREFIX": "newsroom-bench",
        # wrk is one client far faster than any reader: the per-address limits on search
        # and feeds would answer it with 429s and measure nothing.
        "RATE_LIMIT_SEARCH": "off",
        "RATE_LIMIT_FEEDS": "off",
        "RATE_LIMIT_PREVIEW": "off",
        "PYTHONUNBUFFERED": "1",
    }


def git_head(folder: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=folder, capture_output=True, text=True
    ).stdout.strip()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles", type=int, default=int(os.environ.get("BENCH_ARTICLES") or 100_000)
    )
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS") or 10))
    parser.add_argument(
        "--connections", type=int, default=int(os.environ.get("BENCH_CONNECTIONS") or 8)
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--base", default=os.environ.get("BASE") or None)
    parser.add_argument("--admin-requests", type=int, default=30)
    parser.add_argument(
        "--admin-only",
        action="store_true",
        help="only time the admin article list, on the database as it is (no seeding)",
    )
    parser.add_argument(
        "--save",
        action="store_true",
        default=bool(os.environ.get("BENCH_SAVE")),
        help="also write the output to docs/benchmarks/pages-<date>-<commit>.txt",
    )
    options = parser.parse_args(argv)
    for tool in () if options.admin_only else ("wrk", "nginx"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: `make bench` installs it (apt-get, as root).")

    var_dir = Path(os.environ.get("BENCH_VAR_DIR", ROOT / "var" / "bench"))
    var_dir.mkdir(parents=True, exist_ok=True)
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{var_dir / 'bench.sqlite3'}"
    env = production_env(database, var_dir)
    current = Revision(f"{git_head(ROOT)}", ROOT, ROOT / ".venv" / "bin" / "python")
    engine = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    if engine == "PostgreSQL":
        if "bench" not in database.rsplit("/", 1)[-1]:
            raise SystemExit("DATABASE_URL must name a database whose name contains 'bench'.")
        ensure_postgres_database(database)
    cache_name = "Redis" if os.environ.get("REDIS_URL") else "in-process"
    if options.admin_only:
        current.run(["manage.py", "collectstatic", "--noinput", "-v0"], env)
        print(table(measure_admin(current, env, options), None, "base"))
        return
    say(f"Seeding {options.articles:,} articles ({engine})…")
    current.run(["manage.py", "migrate", "--noinput", "-v0"], env)
    seeding = current.run(["manage.py", "seed_bench", "--articles", str(options.articles)], env)
    print(seeding)
    current.run(["manage.py", "collectstatic", "--noinput", "-v0"], env)
    urls = json.loads(current.run([str(PROBE), "urls"], env))

    scratch = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    base_results, base = None, None
    try:
        say(f"Measuring {current.label} ({options.seconds} s a run, "
            f"{options.connections} connections)…")  # fmt: skip
        results = measure(current, env, urls, options, scratch)
        if options.base:
            base = base_revision(options.base, scratch)
            base.label = f"{options.base} ({git_head(base.folder)})"
            base_env = env | {"STATIC_ROOT": str(scratch / "base-static")}
            base.run(["manage.py", "collectstatic", "--noinput", "-v0"], base_env)
            say(f"Measuring {base.label}…")
            base_results = measure(base, base_env, urls, options, scratch)
    finally:
        if base is not None:
            remove_worktree(base.folder)
        shutil.rmtree(scratch, ignore_errors=True)

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: `make bench`, "
        f"{options.articles:,} articles on {engine}, {cache_name} cache; "
        f"commit {current.label}; {options.workers} gunicorn workers; "
        f"wrk {options.seconds} s after {WARMUP_SECONDS} s unmeasured, "
        f"{options.connections} connections per run; {os.cpu_count()} CPUs, "
        f"load average {load} at the end.",
        seeding.strip().splitlines()[-1] if seeding.strip() else "",
        f"Pages: {', '.join(f'{page} {path}' for page, path in urls.items())}",
        table(results, base_results, options.base or "base"),
    ]
    if base_results:
        lines.append(
            f"× = {current.label} / {base.label}: above 1 is faster (req/s), "
            "below 1 is quicker (p99)."
        )
    output = "\n".join(lines) + "\n"
    print(output, end="")
    if options.save:
        saved = (
            ROOT
            / "docs"
            / "benchmarks"
            / (f"pages-{time.strftime('%Y-%m-%d', time.gmtime())}-{current.label}.txt")
        )
        saved.write_text(output)
        say(f"Saved to {saved.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
