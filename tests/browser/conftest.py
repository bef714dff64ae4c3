"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, against real servers.

Chromium comes from the system (``apt-get install chromium``), launched by its path;
Playwright's own browser downloads are never used.  Without /usr/bin/chromium the
tests fail, saying so: they are part of the test suite, not optional.

When a test fails, every page it opened is saved as a screenshot in test-artifacts/
(the whole chat, and the last mini-app screen on it, when there is one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, HERE, WebServer
from e2e_support import serving

# Messages a browser logs for the network, not for a bug in the page (a 422 of a refused
# form, a WebSocket refused while the server restarts).
NETWORK_NOISE = re.compile(r"Failed to load resource|WebSocket connection to|ERR_CONNECTION_REFUSED")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class SharedBrowser:
    """One Chromium for the browser tests, closed as soon as the last of them is done.

    Not a session fixture: while Playwright's sync API runs, this thread has a running event
    loop, and the end-to-end tests that run after these call asyncio.run().
    """

    playwright: Any = None
    manager: Any = None
    chromium: Any = None

    @classmethod
    def get(cls) -> Any:
        if cls.chromium is None:
            from playwright.sync_api import sync_playwright

            cls.manager = sync_playwright()
            cls.playwright = cls.manager.start()
            cls.chromium = cls.playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        return cls.chromium

    @classmethod
    def close(cls) -> None:
        if cls.manager is None:
            return
        try:
            cls.chromium.close()
        finally:
            cls.manager.__exit__(None, None, None)
            cls.manager = cls.playwright = cls.chromium = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    result = yield  # the test's fixtures are torn down first
    if nextitem is None or HERE not in Path(nextitem.path).parents:
        SharedBrowser.close()
    return result


@pytest.fixture
def browser() -> Any:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. Install it with "
            "'apt-get install -y chromium' (.ci/run does), or skip these tests with -m 'not browser'.",
            pytrace=False,
        )
    return SharedBrowser.get()


@pytest.fixture(scope="session")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    """One server for the tests that do not restart it."""
    with serving(WebServer(tmp_path_factory.mktemp("web") / "data")) as server:
        yield server


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    """``souk serve --demo`` as the README runs it: every mini-app, the server's own rate limits."""
    with serving(WebServer(tmp_path_factory.mktemp("demo") / "data", "demo_server.py")) as server:
        yield server


VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 800}}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    """A desktop's window, then a phone's: a test that takes it runs at both widths
    (``open_page(server, phone, **viewport)``)."""
    return VIEWPORTS[request.param]


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[WebServer]:
    """A server of this test alone (it may kill and restart it)."""
    with serving(WebServer(tmp_path / "data")) as server:
        yield server


@dataclass
class Browsing:
    """The pages a test opened, and what went wrong in them."""

    browser: Any
    contexts: list[Any] = field(default_factory=list)
    pages: list[Any] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(
        self, server: WebServer, phone: str | None = None, *, width: int = 1280, height: int = 800
    ) -> Any:
        """A page of its own (its own cookies and storage), signed in as ``phone`` when given."""
        context = self.browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        if phone is not None:
            session = json.dumps(json.dumps(server.sign_in(phone)))
            context.add_init_script(
                f"if (!localStorage.getItem('souk.session')) localStorage.setItem('souk.session', {session});"
            )
        page = context.new_page()
        self.pages.append(page)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and not NETWORK_NOISE.search(message.text)
                and self.errors.append(f"console: {message.text}")
            ),
        )
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(server.url + "/")
        return page

    def screenshots(self, name: str) -> list[Path]:
        ARTIFACTS.mkdir(exist_ok=True)
        saved = []
        for number, page in enumerate(self.pages, start=1):
            if page.is_closed():
                continue
            path = ARTIFACTS / f"{name}-page{number}.png"
            page.screenshot(path=str(path), full_page=True)
            saved.append(path)
            screens = page.locator(".msg-screen")
            if screens.count():
                path = ARTIFACTS / f"{name}-page{number}-screen.png"
                screens.last.screenshot(path=str(path), timeout=3000)
                saved.append(path)
        return saved


@pytest.fixture
def browsing(browser: Any, request: pytest.FixtureRequest) -> Iterator[Browsing]:
    session = Browsing(browser)
    yield session
    try:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            saved = session.screenshots(name)
            print("screenshots of the failure:", *map(str, saved), sep="\n  ")
    finally:
        for context in session.contexts:
            context.close()
    assert not session.errors, "the page reported errors:\n" + "\n".join(session.errors)
    assert not session.dialogs, f"the page opened dialogs (a script ran?): {session.dialogs}"


@pytest.fixture
def open_page(browsing: Browsing) -> Callable[..., Any]:
    return browsing.open
