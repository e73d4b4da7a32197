"""bin/audit-lock: pip-audit first, PyPI's project JSON for what it skipped, never a silent pass."""

import importlib.machinery
import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bin" / "audit-lock"


@pytest.fixture(scope="module")
def audit_lock():
    loader = importlib.machinery.SourceFileLoader("audit_lock", str(SCRIPT))
    spec = importlib.util.spec_from_loader("audit_lock", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.fixture
def lock(tmp_path):
    path = tmp_path / "requirements.lock"
    path.write_text(
        "django==6.1.3 \\\n    --hash=sha256:aa\n"
        "pillow==12.0.0 \\\n    --hash=sha256:bb\n"
        "bleach==6.4.0 \\\n    --hash=sha256:cc\n"
        "Typing_Extensions==4.15.0 \\\n    --hash=sha256:dd\n"
    )
    return str(path)


SKIPPED = [
    {"name": "django", "skip_reason": "404"},
    {"name": "pillow", "skip_reason": "404"},
    {"name": "bleach", "skip_reason": "404"},
]
PROJECTS = {
    "django": {"info": {"version": "6.1.3"}, "vulnerabilities": []},
    "pillow": {"info": {"version": "13.0.0"}, "vulnerabilities": []},
    "bleach": {
        "info": {"version": "6.4.0"},
        "vulnerabilities": [
            {"id": "PYSEC-2099-1", "fixed_in": ["6.4.1"], "withdrawn": None},
            {"id": "PYSEC-2099-2", "fixed_in": [], "withdrawn": "2099-01-01"},
        ],
    },
}


def test_skipped_pins_that_are_the_latest_release_are_audited_from_the_project_json(
    audit_lock, lock
):
    vulnerable, unaudited, counts = audit_lock.audit(lock, SKIPPED, PROJECTS.get)
    assert vulnerable == ["bleach 6.4.0: PYSEC-2099-1 (fixed in 6.4.1)"]  # withdrawn ignored
    assert unaudited == {
        "pillow": "pinned 12.0.0; only the latest release (13.0.0) can be audited here"
    }
    assert counts == {"pip-audit": 0, "PyPI project JSON": 2}


def test_pip_audit_findings_are_reported_as_they_are(audit_lock, lock):
    found = [
        {"name": "django", "version": "6.1.3", "vulns": []},
        {"name": "typing-extensions", "version": "4.15.0",
         "vulns": [{"id": "GHSA-x", "fix_versions": ["4.16.0"]}]},
    ]  # fmt: skip
    vulnerable, unaudited, counts = audit_lock.audit(lock, found, lambda name: None)
    assert vulnerable == ["typing-extensions 4.15.0: GHSA-x (fixed in 4.16.0)"]
    assert unaudited == {} and counts["pip-audit"] == 2


def test_a_vulnerability_fails_the_audit(audit_lock, lock, capsys):
    status = audit_lock.main([lock], fetch=PROJECTS.get, pip_audit=lambda _: SKIPPED)
    output = capsys.readouterr().out
    assert status == 1
    assert "KNOWN VULNERABILITIES" in output and "PYSEC-2099-1" in output


def test_unreachable_data_is_a_loud_warning_not_a_pass(audit_lock, lock, capsys, monkeypatch):
    monkeypatch.delenv("AUDIT_STRICT", raising=False)
    status = audit_lock.main([lock], fetch=lambda name: None, pip_audit=lambda _: SKIPPED)
    output = capsys.readouterr().out
    assert status == 0
    assert "0 package(s) audited (none)" in output
    assert "WARNING: 3 package(s)" in output and "NOT audited" in output
    assert "django: PyPI's vulnerability data could not be reached" in output
    assert "no known vulnerability" not in output


def test_strict_mode_fails_when_anything_went_unaudited(audit_lock, lock, monkeypatch):
    monkeypatch.setenv("AUDIT_STRICT", "1")
    clean = {name: project | {"vulnerabilities": []} for name, project in PROJECTS.items()}
    status = audit_lock.main([lock], fetch=clean.get, pip_audit=lambda _: SKIPPED)
    assert status == 2  # pillow's pin could not be audited
