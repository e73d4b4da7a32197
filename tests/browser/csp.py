"""Helpers for browser tests about the Content Security Policy and signed-in staff."""

from django.conf import settings
from django.test import Client

# Runs in every frame before the page's own scripts; records what the policy blocked.
VIOLATION_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ${event.sample || ""}`
  );
});
"""


def watch_for_violations(context) -> list[str]:
    """Record CSP violations and console errors of every page in `context`; returns the list."""
    problems: list[str] = []
    # A loaded machine (CI runs several suites at once) can take more than 10 s for the
    # admin's article form with its TinyMCE editors.
    context.set_default_timeout(60_000)
    context.add_init_script(VIOLATION_RECORDER)

    def on_console(message):
        url = message.location.get("url", "")
        # The browser asks for /favicon.ico by itself; no page of ours links to it.
        if message.type == "error" and not url.endswith("/favicon.ico"):
            problems.append(f"console: {message.text} ({url})")

    context.on("page", lambda page: page.on("console", on_console))
    return problems


def recorded_violations(page) -> list[str]:
    found = []
    for frame in page.frames:
        try:
            found += frame.evaluate("window.__cspViolations || []")
        except Exception:  # a frame that went away while we asked
            continue
    return found


def sign_in(context, user, base_url: str) -> None:
    """Give the browser context a session for `user` (no login form, no throttling)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )
