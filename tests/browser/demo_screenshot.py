"""Take docs/screenshot.png: the README's demo, in the browser, as a newcomer first sees it.

    uv run python tests/browser/demo_screenshot.py [OUTPUT]

Runs ``souk serve --demo`` (with the mini-apps installed in this checkout) on a fresh data
folder, signs in as Asha, writes in the demo group and opens the command palette.  Run it
again when the client or the installed mini-apps change, and commit the picture.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for e2e_support

from browser_support import ASHA, CHROMIUM, CHROMIUM_ARGS, ROOT
from e2e_support import CHILD_ENV, HOST, PLAIN_HTTP, SOUK, free_port


def main(output: Path) -> None:
    with tempfile.TemporaryDirectory() as data:
        port = free_port()
        url = f"http://{HOST}:{port}"
        server = subprocess.Popen(
            [*SOUK, "serve", "--demo", "--data", data, "--host", HOST, "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=CHILD_ENV,
        )
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/api/v1/health", **PLAIN_HTTP).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            shoot(url, output)
        finally:
            server.kill()
            server.wait()


def shoot(url: str, output: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 760}, device_scale_factor=1)
        page.goto(url + "/")
        page.get_by_role("button", name=f"Sign in as Asha Rao, {ASHA}").click()
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.locator(".conversation-button", has_text="Souk demo").click()
        box = page.locator("#composer-input")
        box.fill("Lunch at one? Type / to see what Souk can do here.")
        box.press("Enter")
        expect(page.locator(".msg-mine")).to_have_count(2)
        box.press("/")
        expect(page.get_by_role("listbox", name="Commands")).to_be_visible()
        page.wait_for_timeout(300)
        page.screenshot(path=str(output))
        browser.close()
    print(f"saved {output}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png")
