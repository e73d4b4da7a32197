"""
The polite link checker: what is at a citation's address now?

`check_url(url)` asks the address itself (HEAD, then GET when HEAD is refused), follows
at most LINKCHECK_MAX_REDIRECTS redirects and returns a CheckResult: ok, moved (a
permanent redirect to another address), dead (404 or 410) or unreachable (timeouts,
refused connections, names that do not resolve, server errors, too many redirects).

Polite by construction:
- a descriptive User-Agent naming the site (SITE_URL), so owners know who asks;
- a timeout on every connection and read (LINKCHECK_TIMEOUT);
- at most one request per host every LINKCHECK_HOST_INTERVAL seconds, across worker
  processes (the last request time is kept in the cache: Redis in production);
- no retries here: a failed link is checked again after a back-off
  (CheckedLink.record_check), never in a loop;
- only the response's headers are read, never a body.
It refuses private, loopback, link-local and reserved addresses (no probing of our own
network through a citation), connecting to the very address it checked so that a name
cannot resolve differently in between; tests, which serve pages on 127.0.0.1, relax this
with LINKCHECK_ALLOW_PRIVATE.

It runs only in the task worker or `manage.py check_links` (sources/tasks.py), never
during a page request.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.cache import cache

from .models import LinkState

REDIRECTS = {301, 302, 303, 307, 308}
PERMANENT = {301, 308}
DEAD = {404, 410}
# HEAD answers that may mean "this server does not do HEAD": ask again with GET.
HEAD_REFUSED = {400, 403, 405, 406, 501}


@dataclass(frozen=True)
class CheckResult:
    state: str
    status_code: int | None = None
    final_url: str = ""
    error: str = ""


class Refused(Exception):
    """The address must not be requested (not http(s), or a private address)."""


def user_agent() -> str:
    return f"NewsroomLinkChecker/1.0 (+{settings.SITE_URL}; checks cited sources)"


def check_url(url: str) -> CheckResult:
    """Check one address; never raises for network trouble."""
    moved = False
    current = url
    for _hop in range(settings.LINKCHECK_MAX_REDIRECTS + 1):
        try:
            status, location = _ask(current)
        except Refused as refused:
            return CheckResult(LinkState.UNREACHABLE, final_url=current, error=str(refused))
        except TimeoutError:
            return CheckResult(LinkState.UNREACHABLE, final_url=current, error="timed out")
        except ConnectionRefusedError:
            return CheckResult(LinkState.UNREACHABLE, final_url=current, error="connection refused")
        except (OSError, http.client.HTTPException) as error:
            message = str(error) or type(error).__name__
            return CheckResult(LinkState.UNREACHABLE, final_url=current, error=message[:300])
        if status in REDIRECTS and location:
            moved = moved or status in PERMANENT
            current = urljoin(current, location)
            continue
        if status in DEAD:
            return CheckResult(LinkState.DEAD, status, current, f"HTTP {status}")
        if status >= 400:
            return CheckResult(LinkState.UNREACHABLE, status, current, f"HTTP {status}")
        if moved and current != url:
            return CheckResult(LinkState.MOVED, status, current)
        return CheckResult(LinkState.OK, status, current)
    return CheckResult(
        LinkState.UNREACHABLE,
        final_url=current,
        error=f"more than {settings.LINKCHECK_MAX_REDIRECTS} redirects",
    )


def _ask(url: str) -> tuple[int, str]:
    """HEAD (then GET if HEAD is refused) one address: (status, Location header)."""
    status, location = _request("HEAD", url)
    if status in HEAD_REFUSED:
        status, location = _request("GET", url)
    return status, location


def _request(method: str, url: str) -> tuple[int, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"not a web address: {url[:100]}")
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _safe_address(host, port)
    wait_for_host(host)
    timeout = settings.LINKCHECK_TIMEOUT
    if parts.scheme == "https":
        connection = _PinnedHTTPSConnection(host, port, address=address, timeout=timeout)
    else:
        connection = _PinnedHTTPConnection(host, port, address=address, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(
            method,
            path,
            headers={"User-Agent": user_agent(), "Accept": "*/*", "Connection": "close"},
        )
        response = connection.getresponse()
        return response.status, response.getheader("Location", "")
    finally:
        connection.close()  # the body is never read


def _safe_address(host: str, port: int) -> str:
    """The address to connect to; Refused if any address of the name is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise OSError(f"name not resolved: {host}") from error
    addresses = [info[4][0] for info in infos]
    if not settings.LINKCHECK_ALLOW_PRIVATE:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise Refused(f"refused: {host} is a private or reserved address")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to next."""

    def __init__(self, *args, address: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, address: str, **kwargs):
        super().__init__(*args, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def wait_for_host(host: str) -> None:
    """Sleep until LINKCHECK_HOST_INTERVAL has passed since the last request to `host`."""
    interval = settings.LINKCHECK_HOST_INTERVAL
    if interval <= 0:
        return
    key = f"linkcheck:host:{host.lower()}"
    while True:
        now = time.time()
        last = cache.get(key)
        if last is None or now - last >= interval:
            # Claim the slot; another worker that claimed it first makes us wait again.
            cache.set(key, now, timeout=int(interval) + 60)
            if cache.get(key) == now:
                return
        else:
            time.sleep(min(interval - (now - last), interval))
