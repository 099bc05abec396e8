"""Shared helpers for browser tests: Debian's Chromium driven by Playwright, and axe-core."""

import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE_VERSION = "4.10.3"
AXE_DIR = Path(__file__).resolve().parents[1] / ".cache" / f"axe-core-{AXE_VERSION}"


@contextmanager
def chromium_page(**context_options):
    """A fresh page in headless Chromium (closed on exit)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(**context_options)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def axe_source() -> str:
    """axe-core's browser script, installed once from the npm registry into ``.cache/``.

    Raises
    ------
    RuntimeError
        When npm cannot install it (the accessibility test must fail, not skip).
    """
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR),
                               f"axe-core@{AXE_VERSION}"], capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not script.exists():
            raise RuntimeError(f"could not install axe-core {AXE_VERSION}: {done.stderr[-500:]}")
    return script.read_text(encoding="utf-8")


def serious_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A/AA rules) on the page; return serious and critical violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in result["violations"] if v["impact"] in {"serious", "critical"}]
