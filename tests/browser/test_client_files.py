"""The web client's files, checked without a browser: served by the app, nothing fetched from
elsewhere, no HTML built from strings, every module import resolvable; the demo endpoint."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import anyio
import httpx
import pytest
import souk
from souk.app import create_app
from souk.foundation.settings import DEV_CODE, Settings

STATIC = Path(souk.__file__).parent / "static"
SCRIPTS = sorted((STATIC / "js").rglob("*.js"))
TEXT_FILES = sorted(p for p in STATIC.rglob("*") if p.suffix in {".html", ".css", ".js", ".svg"})
# Building HTML from strings is how message text would become markup: none of it, anywhere.
FORBIDDEN = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(")
IMPORT = re.compile(r"""^\s*import\s[^"']*["']([^"']+)["']""", re.MULTILINE)
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
MAX_MODULE_LINES = 300


def test_the_client_is_there() -> None:
    assert (STATIC / "index.html").is_file()
    assert SCRIPTS, "no JavaScript modules"


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: str(p.relative_to(STATIC)))
def test_nothing_is_fetched_from_elsewhere(path: Path) -> None:
    text = path.read_text(encoding="utf-8").replace(SVG_NAMESPACE, "")
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text, re.IGNORECASE), path
    assert "@import" not in text and "url(http" not in text, path


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: str(p.relative_to(STATIC)))
def test_modules_build_no_html_from_strings_and_import_what_exists(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert not FORBIDDEN.search(source), f"{path.name}: {FORBIDDEN.search(source).group(0)}"
    for target in IMPORT.findall(source):
        assert target.startswith("./") or target.startswith("../"), f"{path.name} imports {target}"
        assert (path.parent / target).resolve().is_file(), f"{path.name} imports a missing {target}"
    lines = source.count("\n")
    assert lines <= MAX_MODULE_LINES, f"{path.name} has {lines} lines: split it by idea"


def get_all(settings: Settings, paths: list[str]) -> list[httpx.Response]:
    """GET each path from the app, in-process (no lifespan: these routes need no running core)."""
    app = create_app(settings, plugins=[])

    async def go() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://souk.test") as client:
            return [await client.get(path) for path in paths]

    try:
        # On a thread of its own: Playwright's sync API keeps an event loop on this one.
        with ThreadPoolExecutor(1) as thread:
            return thread.submit(anyio.run, go).result()
    finally:
        app.state.runtime.close()


def test_the_page_and_its_files_are_served_with_a_strict_policy(tmp_path: Path) -> None:
    files = ["/" + p.relative_to(STATIC).as_posix() for p in [*SCRIPTS, *(STATIC / "css").glob("*.css")]]
    page, health, *served = get_all(
        Settings(tmp_path, dev_code=DEV_CODE), ["/", "/api/v1/health", "/favicon.svg", *files]
    )
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.text and 'id="app"' in page.text
    assert health.json()["status"] == "ok"  # the API is not shadowed by the files at "/"
    for response in served:
        assert response.status_code == 200, response.url
        if response.url.path.endswith(".js"):  # browsers refuse modules served as another type
            assert "javascript" in response.headers["content-type"], response.url


def test_the_files_never_stand_in_front_of_the_api(tmp_path: Path) -> None:
    wrong_method, unknown_api, unknown_file = get_all(
        Settings(tmp_path, dev_code=DEV_CODE), ["/api/v1/auth/code", "/api/v1/nothing", "/nothing.js"]
    )
    assert wrong_method.status_code == 405, wrong_method.text  # a POST route, asked with GET
    assert unknown_api.status_code == 404 and unknown_api.json()["error"]["code"] == "not_found"
    assert unknown_file.status_code == 404 and unknown_file.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("demo", [True, False])
def test_the_demo_endpoint_tells_only_a_demo_server_s_people_and_code(tmp_path: Path, demo: bool) -> None:
    [response] = get_all(Settings(tmp_path, dev_code=DEV_CODE, demo=demo), ["/api/v1/demo"])
    info = response.json()
    if demo:
        assert info["demo"] is True and info["code"] == DEV_CODE
        phones = {p["phone"]: p for p in info["people"]}
        assert phones["+919876500001"]["name"] == "Asha Rao" and phones["+919876500001"]["operator"]
        assert phones["+5511987650001"]["country"] == "BR"
    else:
        assert info == {"demo": False, "code": None, "people": []}
