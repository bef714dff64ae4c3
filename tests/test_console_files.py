"""The console's files: served at /admin/ by the same process, static, from nowhere else, strictly."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import souk
from souk.api.security_headers import CONSOLE_PAGE_POLICY, CONSOLE_POLICY
from souk.app import create_app
from souk.foundation.settings import Settings
from starlette.testclient import TestClient

CONSOLE = Path(souk.__file__).parent / "static" / "admin"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(Settings(tmp_path_factory.mktemp("console")), plugins=[])
    with TestClient(app) as test_client:
        yield test_client


def test_the_console_page_states_its_policy_and_the_header_repeats_it(client: TestClient) -> None:
    meta = re.search(
        r'http-equiv="Content-Security-Policy"\s+content="([^"]+)"', (CONSOLE / "index.html").read_text()
    )
    assert meta is not None and meta.group(1) == CONSOLE_POLICY
    assert "'unsafe-inline'" not in CONSOLE_POLICY and "'unsafe-eval'" not in CONSOLE_POLICY
    page = client.get("/admin/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == CONSOLE_PAGE_POLICY
    moved = client.get("/admin", follow_redirects=False)
    assert moved.status_code in (301, 307) and moved.headers["location"].endswith("/admin/")


def test_every_console_file_is_served_and_loads_nothing_from_elsewhere(client: TestClient) -> None:
    files = sorted(p for p in CONSOLE.rglob("*") if p.is_file())
    assert {p.suffix for p in files} == {".html", ".css", ".js"}
    for path in files:
        text = path.read_text()
        assert not re.search(r"(src|href|import[^\n]*from)\s*=?\s*[\"']https?://", text), path
        assert "<script>" not in text and " style=" not in text, f"{path}: inline code the policy refuses"
        served = client.get("/admin/" + path.relative_to(CONSOLE).as_posix())
        assert served.status_code == 200, path
    # The modules the console imports from the chat page's folder are there too.
    for module in re.findall(r'from "\.\./\.\./js/(\w+\.js)"', "".join(p.read_text() for p in files)):
        assert client.get(f"/js/{module}").status_code == 200
