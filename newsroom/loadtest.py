"""
A bounded load test of a running site: readers on the public pages while editors save
articles in the admin, counting errors and lost saves.

Used by `manage.py load_test` and by the fault tests (tests/faults). It only ever talks to
a server on this machine (127.0.0.0/8, localhost or ::1), and every run is bounded in time
and in requests. Editors use the real admin form over HTTP, as a browser would: they read
the change form, change the brief, post every field back, and after each acknowledged
save (302) the article is read back from the database; a save the server acknowledged
but the database does not hold is a lost save.
"""

import ipaddress
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import CookieJar

MAX_SECONDS = 300
MAX_REQUESTS = 50_000


def check_loopback(base_url: str) -> None:
    host = urllib.parse.urlsplit(base_url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise ValueError(f"load tests only run against this machine (127.0.0.1, ::1), not {host!r}")


class FormFields(HTMLParser):
    """The successful controls of one form, as (name, value) pairs, like a browser sends."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea: str | None = None
        self._select: str | None = None
        self._selected: list[str] = []
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select, self._selected, self._first_option = name, [], None
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if "selected" in attrs:
                self._selected.append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # Browsers drop one newline that directly follows <textarea>.
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self.fields += [(self._select, value) for value in self._selected]
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


class Session:
    """One user agent: cookies, CSRF token, no redirects followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base_url: str, timeout: float = 15):
        check_loopback(base_url)
        self.base_url, self.timeout, self.cookies = base_url.rstrip("/"), timeout, CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect
        )

    def request(self, path: str, data: list[tuple[str, str]] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)
        if body is not None:
            request.add_header("Referer", self.base_url + path)  # Django's CSRF check
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def csrf_token(self) -> str:
        return next(c.value for c in self.cookies if c.name.endswith("csrftoken"))

    def sign_in(self, admin_prefix: str, username: str, password: str) -> None:
        self.request(f"/{admin_prefix}login/")
        status, _ = self.request(
            f"/{admin_prefix}login/",
            [("csrfmiddlewaretoken", self.csrf_token()), ("username", username),
             ("password", password), ("next", f"/{admin_prefix}")],
        )  # fmt: skip
        if status != 302:
            raise RuntimeError(f"could not sign in as {username} (HTTP {status})")

    def article_form(self, admin_prefix: str, pk: int) -> tuple[int, list[tuple[str, str]]]:
        status, html = self.request(f"/{admin_prefix}articles/article/{pk}/change/")
        return status, form_fields(html, "article_form") if status == 200 else []

    def save_article(self, admin_prefix: str, pk: int, fields: list[tuple[str, str]]):
        return self.request(
            f"/{admin_prefix}articles/article/{pk}/change/", [*fields, ("_save", "Save")]
        )


def with_value(fields: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    return [(key, value if key == name else old) for key, old in fields]


@dataclass
class Figures:
    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    saves_acknowledged: int = 0
    saves_verified: int = 0
    lost_saves: list[str] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def record(self, status: int | str, seconds: float, error: str | None = None):
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)

    def report(self) -> str:
        ordered = sorted(self.latencies) or [0.0]
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        return "\n".join([
            f"requests        {self.requests} in {self.seconds:.1f} s "
            f"({self.requests / max(self.seconds, 0.001):.0f}/s)",
            f"statuses        {dict(sorted(self.statuses.items(), key=str))}",
            f"latency         median {statistics.median(ordered) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms",
            f"errors          {len(self.errors)}",
            f"saves           {self.saves_acknowledged} acknowledged, "
            f"{self.saves_verified} read back, {len(self.lost_saves)} lost",
        ])  # fmt: skip


def run(
    base_url: str,
    *,
    public_paths: list[str],
    editor: tuple[str, str],
    article_ids: list[int],
    read_back,
    readers: int = 8,
    seconds: float = 20,
    max_requests: int = 5000,
    admin_prefix: str = "admin/",
    timeout: float = 60,
) -> Figures:
    """Readers fetch `public_paths` round-robin; one editor thread per article id saves it
    over and over. `read_back(pk)` returns the brief the database holds for an article."""
    check_loopback(base_url)
    seconds, max_requests = min(seconds, MAX_SECONDS), min(max_requests, MAX_REQUESTS)
    figures, deadline = Figures(), 0.0

    def budget_left() -> bool:
        return time.monotonic() < deadline and figures.requests < max_requests

    def timed(session, path, data=None, expected=(200,)):
        began = time.monotonic()
        try:
            status, body = session.request(path, data)
        except Exception as error:  # refused, reset, timed out: all errors
            figures.record(type(error).__name__, time.monotonic() - began, f"{path}: {error!r}")
            return None, ""
        problem = None if status in expected else f"{path}: HTTP {status}"
        figures.record(status, time.monotonic() - began, problem)
        return status, body

    def reader(number: int):
        session = Session(base_url, timeout=timeout)
        position = number
        while budget_left():
            timed(session, public_paths[position % len(public_paths)])
            position += 1

    def editor_loop(pk: int, session: Session):
        path = f"/{admin_prefix}articles/article/{pk}/change/"
        saves = 0
        while budget_left():
            status, html = timed(session, path)
            if status != 200:
                continue
            saves += 1
            brief = f"Load test: article {pk}, save {saves}, {time.time():.6f}"
            fields = with_value(form_fields(html, "article_form"), "brief", brief)
            status, _ = timed(session, path, [*fields, ("_save", "Save")], expected=(302,))
            if status == 302:
                with figures.lock:
                    figures.saves_acknowledged += 1
                held = read_back(pk)
                with figures.lock:
                    if held == brief:
                        figures.saves_verified += 1
                    else:
                        figures.lost_saves.append(f"article {pk}: saved {brief!r}, held {held!r}")

    # Editors sign in before the clock starts (sign-in is not what is being measured).
    editors = []
    for pk in article_ids:
        session = Session(base_url, timeout=timeout)
        session.sign_in(admin_prefix, *editor)
        editors.append((pk, session))
    started = time.monotonic()
    deadline = started + seconds
    threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
    threads += [threading.Thread(target=editor_loop, args=pair) for pair in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + timeout + 10)
    figures.seconds = time.monotonic() - started
    return figures
