"""The link checker, against a real HTTP server on 127.0.0.1 (tests/sources/conftest.py)."""

import time

import pytest

from sources.linkcheck import check_url, wait_for_host
from sources.models import LinkState


def test_a_page_that_answers_200_is_ok(web):
    result = check_url(f"{web}/ok")
    assert (result.state, result.status_code, result.final_url) == (
        LinkState.OK,
        200,
        f"{web}/ok",
    )


def test_the_checker_asks_with_head_and_a_descriptive_user_agent(web, settings):
    check_url(f"{web}/ok")
    [(method, path, _, headers)] = web.requests
    assert (method, path) == ("HEAD", "/ok")
    assert "NewsroomLinkChecker" in headers["User-Agent"]
    assert settings.SITE_URL in headers["User-Agent"]


def test_a_chain_of_permanent_redirects_is_moved_with_its_final_address(web):
    result = check_url(f"{web}/chain-1")
    assert result.state == LinkState.MOVED
    assert (result.status_code, result.final_url) == (200, f"{web}/ok")
    assert [path for _, path, _, _ in web.requests] == ["/chain-1", "/chain-2", "/chain-3", "/ok"]


def test_a_temporary_redirect_is_ok_and_records_where_it_ended(web):
    result = check_url(f"{web}/temporary")
    assert (result.state, result.final_url) == (LinkState.OK, f"{web}/ok")


def test_redirects_are_followed_only_so_far(web, settings):
    settings.LINKCHECK_MAX_REDIRECTS = 2
    result = check_url(f"{web}/chain-1")
    assert result.state == LinkState.UNREACHABLE
    assert "more than 2 redirects" in result.error
    assert len(web.requests) == 3


def test_a_redirect_loop_ends(web):
    result = check_url(f"{web}/loop")
    assert result.state == LinkState.UNREACHABLE and "redirects" in result.error


@pytest.mark.parametrize(("path", "code"), [("/missing", 404), ("/gone", 410)])
def test_404_and_410_are_dead(web, path, code):
    result = check_url(f"{web}{path}")
    assert (result.state, result.status_code) == (LinkState.DEAD, code)
    assert result.error == f"HTTP {code}"


def test_a_server_error_is_unreachable_not_dead(web):
    result = check_url(f"{web}/broken")
    assert (result.state, result.status_code) == (LinkState.UNREACHABLE, 500)


def test_a_server_that_refuses_head_is_asked_with_get(web):
    result = check_url(f"{web}/no-head")
    assert result.state == LinkState.OK
    assert [method for method, *_ in web.requests] == ["HEAD", "GET"]


def test_a_timeout_is_unreachable_after_the_timeout_and_without_retry(web):
    started = time.monotonic()
    result = check_url(f"{web}/slow")
    assert time.monotonic() - started < 1.4  # the server takes 1.5 s; we wait 0.5 s
    assert (result.state, result.error) == (LinkState.UNREACHABLE, "timed out")
    assert len(web.requests) == 1


def test_a_refused_connection_is_unreachable(closed_port):
    result = check_url(f"http://127.0.0.1:{closed_port}/page")
    assert (result.state, result.error) == (LinkState.UNREACHABLE, "connection refused")


def test_requests_to_one_host_are_spaced_by_the_interval(web, settings):
    settings.LINKCHECK_HOST_INTERVAL = 0.4
    for path in ("/ok", "/missing", "/gone"):
        check_url(f"{web}{path}")
    times = [at for _, _, at, _ in web.requests]
    assert len(times) == 3
    assert all(later - earlier >= 0.38 for earlier, later in zip(times, times[1:], strict=False))


def test_another_host_does_not_wait_for_the_first(web, settings):
    settings.LINKCHECK_HOST_INTERVAL = 2
    check_url(f"{web}/ok")
    started = time.monotonic()
    wait_for_host("elsewhere.example")
    assert time.monotonic() - started < 0.2


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.0.0.8/",
        "http://192.168.1.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://localhost/",
    ],
)
def test_private_and_loopback_addresses_are_refused_unless_allowed(settings, web, url):
    settings.LINKCHECK_ALLOW_PRIVATE = False
    result = check_url(url)
    assert result.state == LinkState.UNREACHABLE
    assert "private or reserved" in result.error
    assert web.requests == []


def test_only_web_addresses_are_checked():
    result = check_url("ftp://example.org/file")
    assert result.state == LinkState.UNREACHABLE and "not a web address" in result.error


def test_https_certificates_are_verified(tls_web):
    """TLS is checked against the name asked for, even though we connect to a pinned IP."""
    result = check_url(f"{tls_web}/ok")
    assert result.state == LinkState.UNREACHABLE
    assert "CERTIFICATE_VERIFY_FAILED" in result.error
