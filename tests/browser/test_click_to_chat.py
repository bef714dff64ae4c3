"""Click-to-chat: a business's link opens the web client on a chat with the business, the text
ready in the composer; someone signed out signs in first, then lands there. The chat shows the
business by its name and logo, never who works there."""

from __future__ import annotations

import itertools
import time
from urllib.parse import quote

import pytest
from browser_support import ASHA, CAMILLE, RAVI
from media_samples import png
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

_handles = itertools.count(1)
QUESTION = "Olá! Vocês têm capinha para o meu celular?"


def business(web_server) -> tuple[str, str, str]:
    """A new business of Asha's, with a logo and Camille as its agent: (handle, name, Asha's handle)."""
    asha = web_server.sign_in(ASHA)
    camille = web_server.sign_in(CAMILLE)
    handle = f"loja{next(_handles)}_{time.monotonic_ns() % 100_000}"
    name = f"Loja {handle[4:]}"
    with web_server.http(asha["token"]) as http:
        logo = http.post("/api/v1/media?purpose=profile", content=png(colour="teal"))
        assert logo.status_code == 201, logo.text
        created = http.post("/api/v1/businesses", json={"name": name, "handle": handle, "category": "shop"})
        assert created.status_code == 201, created.text
        changed = http.patch(f"/api/v1/businesses/{handle}", json={"logo": logo.json()["id"]})
        staffed = http.post(
            f"/api/v1/businesses/{handle}/staff", json={"handle": camille["user"]["handle"], "role": "agent"}
        )
        assert changed.status_code == staffed.status_code == 200
    return handle, name, asha["user"]["handle"]


def test_the_link_signs_in_first_then_opens_the_chat_with_the_text_ready(web_server, open_page) -> None:
    handle, name, owner = business(web_server)
    page = open_page(web_server)
    page.goto(f"{web_server.url}/b/{handle}?text={quote(QUESTION)}")
    page.get_by_label("Phone number").fill(RAVI)
    page.keyboard.press("Enter")
    code = page.get_by_label("Code")
    expect(code).to_have_value("000000")
    code.press("Enter")

    expect(page.locator(".chat-title")).to_have_text(name)
    expect(page.locator("#composer-input")).to_have_value(QUESTION)
    expect(page.locator(".chat-subtitle")).to_have_text(f"Business · @{handle}")
    expect(page.locator(".chat-head .avatar img.avatar-photo")).to_be_visible()
    assert "#/c/c_" in page.url
    # Nothing on the page names the people behind the business.
    body = page.locator("body").inner_text()
    assert f"@{owner}" not in body and ASHA not in body and CAMILLE not in body

    page.locator("#composer-input").press("Enter")
    ravi = web_server.sign_in(RAVI)
    chat = next(c for c in web_server.conversations(ravi["token"]) if c["title"] == name)
    assert chat["kind"] == "business" and chat["business"]["handle"] == handle
    web_server.wait_for(ravi["token"], chat["id"], lambda m: m["text"] == QUESTION)
    assert [m["text"] for m in web_server.history(ravi["token"], chat["id"])] == [QUESTION]


def test_someone_signed_in_lands_on_the_same_chat_each_time(web_server, open_page) -> None:
    handle, name, _ = business(web_server)
    page = open_page(web_server, RAVI)
    expect(page.locator(".me-name")).to_be_visible()
    page.goto(f"{web_server.url}/b/{handle}?text=Oi")
    expect(page.locator(".chat-title")).to_have_text(name)
    expect(page.locator("#composer-input")).to_have_value("Oi")
    first = page.url
    page.goto(f"{web_server.url}/b/{handle.upper()}")
    expect(page.locator(".chat-title")).to_have_text(name)
    expect(page).to_have_url(first)
    expect(page.locator(".conversation", has_text=name)).to_have_count(1)

    page.goto(f"{web_server.url}/b/nobody_has_this")
    expect(page.get_by_role("alert")).to_contain_text("No business is called @nobody_has_this")
