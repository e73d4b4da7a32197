"""
What the browser tests measure on a page: accessibility (axe-core), weight, screenshots.

Each function prints what it found, so `pytest -s` (or a failure) shows the figures.
"""

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

try:
    import brotli
except ImportError:  # the figures fall back to gzip alone
    brotli = None

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
BLOCKING_IMPACTS = {"serious", "critical"}  # what the issue forbids
MODERATE_AND_ABOVE = BLOCKING_IMPACTS | {"moderate"}  # what our public pages are held to
# The budget: an article page's HTML, CSS and JS together, compressed, without images.
PAGE_WEIGHT_BUDGET = 100 * 1024
WEIGHED_TYPES = {"document": "html", "stylesheet": "css", "script": "js"}


def axe_violations(page, label: str, blocking=BLOCKING_IMPACTS) -> list[dict]:
    """Run axe-core on the page; print every violation; return those of `blocking` impact."""
    if not AXE_SCRIPT.exists():
        pytest.skip(f"{AXE_SCRIPT.relative_to(ROOT)} is missing: `make axe` (npm ci) installs it")
    # Evaluated through the DevTools protocol, which the page's CSP (script-src 'self' plus
    # nonce) rightly does not let an inline <script> tag do.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return {
                version: r.testEngine.version,
                passes: r.passes.length,
                incomplete: r.incomplete.length,
                violations: r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
                    count: v.nodes.length,
                })),
            };
        }"""
    )
    violations = results["violations"]
    print(
        f"\naxe-core {results['version']} on {label}: {len(violations)} violation(s), "
        f"{results['passes']} rules passed, {results['incomplete']} to review by hand"
    )
    for violation in violations:
        print(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['count']} node(s): {', '.join(violation['targets'])})"
        )
    return [v for v in violations if v["impact"] in blocking]


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, indent=2)


@dataclass
class PageWeight:
    """The bytes a page loaded, by kind, raw and compressed (images and fonts excluded)."""

    label: str
    raw: dict[str, int] = field(default_factory=dict)
    gzip: dict[str, int] = field(default_factory=dict)
    brotli: dict[str, int] = field(default_factory=dict)
    urls: list[str] = field(default_factory=list)
    # Every address the page loaded anything from, images and fonts included.
    all_urls: list[str] = field(default_factory=list)

    def add(self, kind: str, url: str, body: bytes) -> None:
        self.urls.append(url)
        self.raw[kind] = self.raw.get(kind, 0) + len(body)
        # The levels WhiteNoise uses for static files: gzip 9, brotli's default (11).
        self.gzip[kind] = self.gzip.get(kind, 0) + len(gzip.compress(body, compresslevel=9))
        if brotli is not None:
            self.brotli[kind] = self.brotli.get(kind, 0) + len(brotli.compress(body))

    @property
    def total_gzip(self) -> int:
        return sum(self.gzip.values())

    def report(self) -> str:
        def line(name, sizes):
            parts = ", ".join(
                f"{kind} {sizes.get(kind, 0) / 1024:.1f}" for kind in ("html", "css", "js")
            )
            return f"  {name:<7} {sum(sizes.values()) / 1024:6.1f} KB  ({parts})"

        lines = [f"\npage weight of {self.label} ({len(self.urls)} HTML/CSS/JS responses):"]
        lines.append(line("raw", self.raw))
        lines.append(line("gzip", self.gzip))
        if self.brotli:
            lines.append(line("brotli", self.brotli))
        lines.append(f"  budget  {PAGE_WEIGHT_BUDGET / 1024:6.1f} KB compressed")
        return "\n".join(lines)


def visit_and_weigh(page, path: str, label: str) -> PageWeight:
    """Open `path` and add up the HTML, CSS and JS responses it loaded."""
    weight = PageWeight(label)
    responses = []

    def collect(response):
        responses.append(response)

    page.on("response", collect)
    page.goto(path, wait_until="load")
    page.remove_listener("response", collect)
    for response in responses:
        weight.all_urls.append(response.url)
        kind = WEIGHED_TYPES.get(response.request.resource_type)
        if kind and response.status < 300:
            weight.add(kind, response.url, response.body())
    print(weight.report())
    return weight


def save_screenshots(page, name: str, widths=(390, 1280)) -> list[Path]:
    """Full-page screenshots at each width, saved as test artifacts (test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    original = page.viewport_size
    saved = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        path = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        saved.append(path)
    page.set_viewport_size(original)
    print(f"screenshots: {', '.join(str(p.relative_to(ROOT)) for p in saved)}")
    return saved
