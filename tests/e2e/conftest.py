"""Browser tests: Playwright (Python) driving Debian's Chromium, with axe-core from npm.

Playwright's own browser downloads do not work here, so the tests launch the system Chromium
(`COMMONWEAL_CHROMIUM`, default /usr/bin/chromium). Without it they skip, except in CI.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Playwright's sync API runs an event loop in the test thread; the test's own ORM calls are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing(what: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests need {what}")
    pytest.skip(f"browser tests need {what}")


@pytest.fixture(scope="session")
def browser():
    chromium = os.environ.get("COMMONWEAL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        _missing("Debian's chromium (apt-get install chromium) or COMMONWEAL_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        _missing(f"axe-core from npm at {AXE} (run `make install`)")
    return AXE.read_text()


@pytest.fixture
def check_accessibility(page, axe_source):
    """Run axe-core on the current page; fail on any serious or critical violation."""

    def check() -> None:
        # A click that navigates returns once the new page has started loading; axe needs all of it.
        page.wait_for_load_state("load")
        # Evaluated through the DevTools protocol, so the site's CSP stays on (a script tag would be blocked).
        page.evaluate(axe_source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, json.dumps(
            [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]} for v in serious], indent=1
        )

    return check
