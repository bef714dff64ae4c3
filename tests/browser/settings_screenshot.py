"""Take docs/settings.png: the README's Settings, in the browser, on the demo.

    uv run python tests/browser/settings_screenshot.py [OUTPUT]

Runs ``souk serve --demo`` on a fresh data folder and signs in as Tiago, who looks for red
shoes in the demo group (allowing the Shop) and puts them in his cart; then he opens
Settings at the mini-apps he uses, with the Shop's access log: what it was given, for what,
and when.  Run it again when the client or the installed mini-apps change.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for e2e_support

from browser_support import CHROMIUM, CHROMIUM_ARGS, ROOT, TIAGO
from demo_screenshot import demo_server


def shoot(url: str, output: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
        page.goto(url + "/")
        page.get_by_role("button", name=f"Sign in as Tiago Costa, {TIAGO}").click()
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.locator(".conversation-button", has_text="Souk demo").click()
        box = page.locator("#composer-input")
        box.fill("/shop red shoe")
        box.press("Enter")
        page.locator(".consent").get_by_role("button", name="Allow").click()
        page.locator(".msg-app", has_text="Red running shoes").get_by_role(
            "button", name="Add to cart"
        ).click()
        expect(page.locator(".msg-app", has_text="in your cart")).not_to_have_count(0)
        page.get_by_role("link", name="Open your settings").last.click()
        shop = page.locator(".settings-app[data-app='shop']")
        shop.get_by_role("button", name="Access log").click()
        expect(shop.locator(".access-entry")).to_have_count(4)
        page.mouse.move(5, 790)
        page.wait_for_timeout(300)
        page.screenshot(path=str(output))
        browser.close()
    print(f"saved {output}")


if __name__ == "__main__":
    with demo_server() as address:
        shoot(address, Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "settings.png")
