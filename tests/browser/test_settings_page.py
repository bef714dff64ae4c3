"""Settings, end to end in the browser, on ``souk serve --demo``: Tiago uses the shop, then reads
what it was given, revokes its access, downloads his data and deletes his account.

- the access log in Settings lists exactly the fields handed to the shop in this session (name
  and language, for each command and button that reached it);
- after Revoke, the shop's next command asks for permission again and runs nothing;
- the archive holds his messages and the shop's data about him (his cart);
- Delete my account shows the erase receipt, with Souk's part and every mini-app's, and signing
  in again with his number starts a new, empty account.
"""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

from browser_support import CAMILLE, RAVI, TIAGO, find_component, open_chat, send, unique
from playwright.sync_api import expect
from souk.miniapps.registry import load

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "core" / "tests"))
from media_samples import photo_with_gps

PROFILE_FIELDS = ("display_name", "locale")


def _token(page) -> str:
    return page.evaluate("JSON.parse(localStorage.getItem('souk.session')).token")


def _settings(page, tab: str):
    page.get_by_role("button", name="Settings").click()
    dialog = page.get_by_role("dialog", name="Settings")
    dialog.get_by_role("tab", name=tab).click()
    expect(dialog.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
    return dialog


def test_settings_revoke_access_log_archive_and_delete(demo_server, open_page) -> None:
    server = demo_server
    page = open_page(server, TIAGO)
    old = server.http(_token(page)).get("/api/v1/me").json()
    open_chat(page, "Souk demo")
    hello = unique("Hello from Tiago")
    send(page, hello)
    expect(page.locator(".msg-mine", has_text=hello)).to_have_count(1)

    send(page, "/shop red shoe")
    page.locator(".consent").get_by_role("button", name="Allow").click()
    results = page.locator(".msg-app", has_text="Red running shoes")
    expect(results).to_have_count(1)
    results.get_by_role("button", name="Add to cart").click()
    expect(page.locator(".msg-app", has_text="in your cart")).not_to_have_count(0)
    shop_screens = page.locator(".msg-app").count()

    group = next(c["id"] for c in server.conversations(_token(page)) if c["title"] == "Souk demo")
    screen = next(m for m in server.history(_token(page), group) if "Red running shoes" in (m["text"] or ""))
    add = find_component(screen["screen"], "Add to cart")["action"]
    handed_over = Counter((f, p) for p in ("/shop", f"button {add}") for f in PROFILE_FIELDS)

    # The answered permission request says it can be taken back in the settings: it leads there.
    page.get_by_role("link", name="Open your settings").last.click()
    dialog = page.get_by_role("dialog", name="Settings")
    expect(dialog.get_by_role("tab", name="Mini-apps")).to_have_attribute("aria-selected", "true")
    shop = dialog.locator(".settings-app[data-app='shop']")
    expect(shop.locator(".granted li")).to_have_count(2)  # profile and contact
    shop.get_by_role("button", name="Access log").click()
    rows = shop.locator(".access-entry")
    expect(rows).to_have_count(sum(handed_over.values()))
    shown = Counter(
        tuple(pair)
        for pair in rows.evaluate_all("rows => rows.map(r => [r.dataset.field, r.dataset.purpose])")
    )
    assert shown == handed_over

    shop.get_by_role("button", name="Revoke access").click()
    shop.get_by_role("button", name="Yes, revoke Shop's access").click()
    expect(dialog.locator(".settings-app[data-app='shop'] .info-empty")).to_have_text(
        "No access granted. It asks again next time you use it."
    )
    dialog.get_by_role("button", name="Close").click()
    send(page, "/shop red shoe")
    expect(page.locator(".consent")).to_have_count(1)  # its next command asks again
    expect(page.locator(".consent")).to_contain_text("Shop asks for your permission")
    assert page.locator(".msg-app").count() == shop_screens  # and ran nothing

    dialog = _settings(page, "Your data")
    with page.expect_download() as download:
        dialog.get_by_role("button", name="Download my data").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    core = json.loads(archive.read("souk.json"))
    mine = [m["text"] for c in core["conversations"] for m in c["messages"] if m["sender_kind"] == "user"]
    assert hello in mine and "/shop red shoe" in mine
    cart = json.loads(archive.read("apps/shop.json"))["cart"]
    assert [(item["name"], item["quantity"]) for item in cart] == [("Red running shoes", 1)]
    assert (
        Counter((e["field"], e["purpose"]) for e in core["access_log"] if e["app"] == "shop") == handed_over
    )

    dialog.get_by_label("I understand that this cannot be undone").check()
    dialog.get_by_role("button", name="Delete my account").click()
    receipt = page.get_by_role("list", name="Erase receipt")
    expect(page.get_by_role("heading", name="Your account was deleted")).to_be_visible()
    mini_apps = {app.name for app in load().apps.values() if not app.builtin}  # what the server loaded
    parts = receipt.locator(".receipt-part").evaluate_all("parts => parts.map(p => p.dataset.part)")
    assert set(parts) == {"souk", *mini_apps} and len(parts) == len(mini_apps) + 1
    assert {"payments", "shop", "tickets"} <= mini_apps
    expect(receipt.locator(".receipt-part[data-part='shop']")).to_contain_text("Deleted")

    page.get_by_role("button", name="Done").click()
    page.get_by_role("button", name=f"Sign in as Tiago Costa, {TIAGO}").click()
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator(".me-name")).to_have_text("User 0002")  # a new account, named by default
    expect(page.get_by_text("No conversations yet. Start one with +.")).to_be_visible()
    assert page.locator(".conversation").count() == 0
    new = server.http(_token(page)).get("/api/v1/me").json()
    assert new["id"] != old["id"] and new["phone"] == old["phone"] == TIAGO
    assert server.http(_token(page)).get("/api/v1/me/apps").json() == {"apps": []}


def test_a_profile_photo_through_the_media_store(demo_server, open_page, tmp_path) -> None:
    page = open_page(demo_server, CAMILLE)
    dialog = _settings(page, "Profile")
    picture = tmp_path / "camille.jpg"
    picture.write_bytes(photo_with_gps())
    dialog.locator("input[type=file]").set_input_files(str(picture))
    expect(dialog.get_by_text("Photo saved.")).to_be_visible()
    expect(page.locator(".sidebar-head .avatar img")).to_have_attribute(
        "src", re.compile(r"^data:image/jpeg")
    )
    expect(dialog.locator(".avatar-lg img")).to_have_count(1)
    me = demo_server.http(_token(page)).get("/api/v1/me").json()
    with demo_server.http(_token(page)) as http:
        served = http.get(me["photo"]).content
    assert served.startswith(b"\xff\xd8") and b"GPS" not in served  # its location went at the upload

    dialog.get_by_role("button", name="Remove photo").click()
    expect(dialog.get_by_text("Photo removed.")).to_be_visible()
    expect(page.locator(".sidebar-head .avatar img")).to_have_count(0)
    expect(page.locator(".sidebar-head .avatar")).to_have_text("CM")


def test_sign_out_everywhere_else_signs_the_other_pages_out_at_once(demo_server, open_page) -> None:
    here, elsewhere = open_page(demo_server, RAVI), open_page(demo_server, RAVI)
    for page in (here, elsewhere):
        expect(page.locator(".me-name")).to_have_text("Ravi Kumar")
    dialog = _settings(here, "Sessions")
    # Counted once the list is there (at least this page and the other): an empty list still loading
    # would count -1.
    expect(dialog.locator(".settings-session").nth(1)).to_be_visible()
    others = dialog.locator(".settings-session").count() - 1
    dialog.get_by_role("button", name="Sign out everywhere else").click()
    expect(dialog.get_by_role("status").filter(has_text="Signed out of")).to_have_text(
        f"Signed out of {others} {'session' if others == 1 else 'sessions'}."
    )
    expect(dialog.locator(".settings-session")).to_have_count(1)
    expect(elsewhere.get_by_text("Your session has ended. Please sign in again.")).to_be_visible()
    expect(elsewhere.locator(".demo-panel")).to_be_visible()  # the sign-in page, with nothing typed
    dialog.get_by_role("button", name="Close").click()
    expect(here.locator(".sidebar-head .me-name")).to_have_text("Ravi Kumar")  # this page goes on
    assert demo_server.http(_token(here)).get("/api/v1/me").status_code == 200
