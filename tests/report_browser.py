"""Opening a report in real Chromium (Debian's /usr/bin/chromium through playwright), with every
console error, page error, dialog and request recorded. Shared by the browser tests as fixtures."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _skip_or_fail(reason: str) -> None:
    # Under CI a missing browser is a broken setup, not a reason to pass quietly.
    if "CI" in os.environ:
        pytest.fail(f"{reason} (CI is set, so this is an error)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _skip_or_fail(f"{CHROMIUM} not found: apt-get install chromium to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("playwright not installed: pip install playwright to run the browser tests")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Watched:
    """A page opened on a report file, with everything that would betray a problem recorded."""

    def __init__(self, browser: Any, html: str, path: Path, **context_args: Any) -> None:
        path.write_text(html, encoding="utf-8")
        self.url = path.as_uri()
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, **context_args)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._on_dialog)
        self.page.goto(self.url)
        self.page.wait_for_load_state("load")

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visible_rows(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "#violations-table tbody tr",
            "rows => rows.filter(r => !r.hidden && r.offsetParent !== null).map(r => r.querySelector('td.key').firstChild.textContent)",
        )

    def assert_clean(self) -> None:
        assert self.console_errors == []
        assert self.page_errors == []
        assert self.dialogs == []
        assert [u for u in self.requests if not u.startswith("data:")] == [self.url]

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def open_report(browser: Any, tmp_path: Path) -> Iterator[Any]:
    opened: list[Watched] = []

    def _open(html: str, name: str = "report.html", **context_args: Any) -> Watched:
        w = Watched(browser, html, tmp_path / name, **context_args)
        opened.append(w)
        return w

    yield _open
    for w in opened:
        w.close()
