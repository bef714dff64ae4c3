"""Edits, deletions and reactions made while a client was away reach it on resume: the final state
of each changed message, once, and live frames for those made while it is connected."""

from __future__ import annotations

import asyncio
import itertools

from e2e_support import ServerProcess, create_group, history, sign_in, ws_connect, ws_messages, ws_quiet

EMOJI = ["👍", "❤️", "😂", "🎉", "🙏"]


def test_a_client_away_during_10_edits_5_deletions_and_20_reactions_gets_the_final_state_once(
    server: ServerProcess,
) -> None:
    ana, bob, cid = (sign_in(server, name) for name in ("Changes Ana", "Changes Bob", "Changes Cid"))
    group = create_group(server, ana, [bob, cid], title="changes")["id"]
    base = f"/api/v1/conversations/{group}/messages"
    with server.client(ana.token) as http:
        sent = [
            http.post(base, json={"client_id": f"c{n}", "text": f"line {n}"}).json() for n in range(1, 21)
        ]
    cursor = sent[-1]["changed_seq"]

    async def scenario() -> tuple[list[dict], list[dict], list[dict], list[dict]]:
        ws, backlog = await ws_connect(server, bob, {group: 0})
        assert len(backlog) == 21  # the group's creation line, and the 20
        await ws.close()  # Bob is away from here on
        async with server.async_client(ana.token) as http, server.async_client(cid.token) as other:
            for n, message in enumerate(sent[:10]):  # 10 edits
                edited = await http.patch(f"{base}/{message['id']}", json={"text": f"line {n + 1}, edited"})
                assert edited.status_code == 200, edited.text
            for message in sent[10:15]:  # 5 deletions
                gone = await http.delete(f"{base}/{message['id']}")
                assert gone.status_code == 200, gone.text
            reactors = itertools.cycle([other, http])
            for n in range(20):  # 20 reactions, changing some twice
                target = sent[15 + n % 5] if n < 15 else sent[n % 10]
                reacted = await next(reactors).put(
                    f"{base}/{target['id']}/reaction", json={"emoji": EMOJI[n % len(EMOJI)]}
                )
                assert reacted.status_code == 200, reacted.text
        ws, resumed = await ws_connect(server, bob, {group: cursor})
        extra = await ws_quiet(ws, group)
        # Still connected: one more edit arrives live, once, after the backlog.
        async with server.async_client(ana.token) as http:
            assert (await http.patch(f"{base}/{sent[0]['id']}", json={"text": "final"})).status_code == 200
        live = await ws_messages(ws, group, 1)
        live += await ws_quiet(ws, group)
        await ws.close()
        return backlog, resumed, extra, live

    _, resumed, extra, live = asyncio.run(scenario())
    stored = {m["seq"]: m for m in history(server, bob, group)}
    # Every one of the 20 messages changed (10 edited, 5 deleted, 5 only reacted to): 20 frames,
    # one per message, each its latest version.
    assert sorted(m["seq"] for m in resumed) == sorted(m["seq"] for m in sent)
    assert len(resumed) == 20
    assert extra == []
    changed_seqs = [m["changed_seq"] for m in resumed]
    assert changed_seqs == sorted(changed_seqs)
    for message in resumed:
        latest = stored[message["seq"]]
        if message["seq"] != sent[0]["seq"]:
            assert message == latest
    assert sum(m["edited_at"] is not None for m in resumed) == 10
    assert sum(m["deleted"] for m in resumed) == 5
    assert all(m["text"] == "" and m["reactions"] == [] for m in resumed if m["deleted"])
    reactions = sum(r["count"] for m in resumed for r in m["reactions"])
    # 15 reactions on the last 5 (three each, by two people taking turns: 2 left on each), one on
    # each of 5 edited ones.
    assert reactions == 5 * 2 + 5
    assert [(m["seq"], m["text"]) for m in live] == [(sent[0]["seq"], "final")]
    assert "line 1" not in str(stored[sent[0]["seq"]])  # the previous text is gone
