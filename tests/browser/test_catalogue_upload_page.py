"""A shop owner uploads her catalogue from /myshop in the browser: a file field, Upload, the report.

On ``souk serve --demo``, Bruna (Loja da Bruna) picks a CSV file; the products land in her
catalogue, and a file that is too large is refused beside the field before anything is sent.
"""

from __future__ import annotations

from browser_support import BRUNA, open_chat, send
from playwright.sync_api import expect

CSV = b"sku,name,description,price,stock,category,tags\nHAT-9,Straw hat,,59.90,5,hats,sun\n"


def test_the_owner_uploads_a_csv_from_the_back_office(demo_server, open_page, tmp_path) -> None:
    page = open_page(demo_server, BRUNA)
    open_chat(page, "Souk demo")
    send(page, "/myshop")
    office = page.locator(".msg-app", has_text="Your shops").last
    page.locator(".consent").or_(office).first.wait_for()
    if page.locator(".consent").count():  # the first use of the Shop asks for her permission
        page.locator(".consent").get_by_role("button", name="Allow").click()
    expect(office).to_be_visible()
    field = office.get_by_label("Catalogue file for Loja da Bruna")
    expect(office).not_to_contain_text("souk shop import")

    big = tmp_path / "huge.csv"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    field.set_input_files(str(big))
    office.get_by_role("button", name="Upload").click()
    expect(office.locator(".field-error")).to_have_text("Must be at most 1 MB.")

    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_bytes(CSV)
    field.set_input_files(str(catalogue))
    office.get_by_role("button", name="Upload").click()
    report = page.locator(".msg-app", has_text="Catalogue imported")
    expect(report).to_contain_text("Catalogue imported: 1 created, 0 updated, 0 unchanged, 0 rejected.")
    send(page, "/shop straw hat")
    expect(page.locator(".msg-app", has_text="Straw hat").last).to_contain_text("59,90")
