"""The server restarts under a connected page: it says it is reconnecting, then catches up with no
duplicate and no gap; what was written meanwhile is sent once."""

from __future__ import annotations

import re

import pytest
from browser_support import ASHA, RAVI, open_chat, shown_seqs, unique
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_restart_shows_reconnecting_then_catches_up_without_duplicates(
    own_server, open_page, viewport: dict[str, int]
) -> None:
    server = own_server
    ravi = server.sign_in(RAVI)
    chat = server.direct_chat(ravi["token"], ASHA)  # the demo's chat of Ravi and Asha
    page = open_page(server, ASHA, **viewport)
    open_chat(page, "Ravi Kumar")
    expect(page.locator(".app")).to_have_attribute("data-live", "live")
    before = [unique("before the restart") for _ in range(2)]
    for text in before:
        server.send(ravi["token"], chat["id"], text)
    expect(page.locator(".msg-theirs", has_text=before[-1])).to_be_visible()

    server.kill()
    banner = page.locator(".live-banner")
    expect(banner).to_be_visible()
    expect(banner).to_have_text("Reconnecting…")
    offline = unique("written while the server was away")
    page.locator("#composer-input").fill(offline)
    page.locator("#composer-input").press("Enter")
    expect(page.locator(".msg-pending", has_text=offline)).to_contain_text("Waiting for the connection")
    second = unique("and a second one")
    page.locator("#composer-input").fill(second)
    page.locator("#composer-input").press("Enter")
    expect(page.locator(".msg-pending")).to_have_count(2)
    page.wait_for_timeout(5500)  # long enough to be worth saying when it was written

    server.start()
    after = [unique("after the restart") for _ in range(3)]
    for text in after:
        server.send(ravi["token"], chat["id"], text)
    expect(banner).to_be_hidden()
    expect(page.locator(".app")).to_have_attribute("data-live", "live")
    for text in [*before, *after, offline, second]:
        expect(page.locator(".msg[data-seq]", has_text=text)).to_have_count(1)
    expect(page.locator(".msg-pending")).to_have_count(0)
    # Both went out once the server was back, in the order written, each saying when it was written.
    for text in (offline, second):
        late = page.locator(".msg-mine", has_text=text).locator(".msg-late")
        expect(late).to_contain_text("written")
        expect(late).to_have_attribute("title", re.compile(r"^Written at .+ while offline, sent at "))

    shown = shown_seqs(page)
    stored = server.history(ravi["token"], chat["id"])
    assert shown == [m["seq"] for m in stored], "the page has a gap or a duplicate"
    assert [m["text"] for m in stored].count(offline) == 1
    texts = [m["text"] for m in stored]
    assert texts.index(offline) + 1 == texts.index(second)  # in the order she wrote them
    assert all(m["written_at"] < m["created_at"] for m in stored if m["text"] in (offline, second))


STORE_SCRIPT = """async () => {
  const { Store } = await import("/js/store.js");
  const store = new Store({ id: "u_me" });
  const summary = (lastSeq, unread) => ({
    id: "c1", kind: "direct", title: "Ravi", app: null, created_at: "2026-01-01T00:00:00Z",
    members: [], last_seq: lastSeq, unread, last_read_seq: 2, last_message: null,
  });
  const message = (seq, who = "u_ravi", revision = 1, changed_seq = seq) => ({
    id: `m${seq}`, conversation_id: "c1", seq, kind: "text", text: `line ${seq} v${revision}`,
    screen: null, sender: { kind: "user", id: who, name: who }, private: false, client_id: null,
    created_at: `2026-01-01T00:00:0${seq}Z`, revision, changed_seq, updated_at: null,
  });
  store.setConversations([summary(3, 1)]);
  const steps = [];
  const record = () => steps.push({
    seqs: store.sorted("c1").map((m) => m.seq),
    unread: store.conversations.get("c1").unread,
    since: store.since().c1,
    texts: store.sorted("c1").map((m) => m.text).join(", "),
    last: store.conversations.get("c1").last_message.text,
  });
  store.addMessages("c1", [message(4), message(5)], { live: true }); record();
  store.addMessages("c1", [message(2), message(3), message(4)]); record();  // a history page
  store.addMessages("c1", [message(5), message(6, "u_me")], { live: true }); record();  // a backlog
  store.setConversations([summary(5, 3)]); record();  // the list, read before 6 arrived
  store.addMessages("c1", [message(4, "u_ravi", 2, 7)], { live: true }); record();  // 4 replaced
  store.addMessages("c1", [message(6, "u_me", 2, 8)], { live: true }); record();  // the last one too
  store.addMessages("c1", [message(4), message(5), message(6, "u_me")]); record();  // an older page
  return steps;
}"""


def lines(*versions: int, first: int = 2) -> str:
    """The texts of the store's messages from seq ``first`` on, each in the version given."""
    return ", ".join(f"line {seq} v{v}" for seq, v in enumerate(versions, start=first))


def test_the_store_keeps_each_message_once_and_counts_unread_once(web_server, open_page) -> None:
    """The rule behind "no duplicate, no gap": messages by seq, each in its latest version, whatever
    way and order they come; the cursor resumed from is the last changed_seq seen."""
    page = open_page(web_server)
    every = [2, 3, 4, 5, 6]
    assert page.evaluate(STORE_SCRIPT) == [
        {"seqs": [4, 5], "unread": 3, "since": 5, "texts": lines(1, 1, first=4), "last": "line 5 v1"},
        {"seqs": [2, 3, 4, 5], "unread": 3, "since": 5, "texts": lines(1, 1, 1, 1), "last": "line 5 v1"},
        # my own message is not unread
        {"seqs": every, "unread": 3, "since": 6, "texts": lines(1, 1, 1, 1, 1), "last": "line 6 v1"},
        {"seqs": every, "unread": 3, "since": 6, "texts": lines(1, 1, 1, 1, 1), "last": "line 6 v1"},
        # a new version takes the old one's place: not a new message, not unread
        {"seqs": every, "unread": 3, "since": 7, "texts": lines(1, 1, 2, 1, 1), "last": "line 6 v1"},
        {"seqs": every, "unread": 3, "since": 8, "texts": lines(1, 1, 2, 1, 2), "last": "line 6 v2"},
        # older versions that come late change nothing
        {"seqs": every, "unread": 3, "since": 8, "texts": lines(1, 1, 2, 1, 2), "last": "line 6 v2"},
    ]
