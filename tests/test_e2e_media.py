"""A photo over the real server: sent over HTTP, delivered live over the WebSocket and again on resume,
across two workers through Redis too, and served to the conversation's members only."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from e2e_support import ServerProcess, User, sign_in, ws_connect, ws_messages, ws_quiet
from media_samples import GPS_MARK, photo_with_gps
from redis_support import running_redis
from workers_support import direct_chat, phone, workers


def _send_photo(server: ServerProcess, sender: User, conversation_id: str, caption: str) -> dict[str, Any]:
    with server.client(sender.token) as http:
        upload = http.post(
            "/api/v1/media",
            params={"conversation_id": conversation_id, "name": "IMG_2041.JPG"},
            content=photo_with_gps(),
            headers={"content-type": "application/octet-stream"},
        )
        assert upload.status_code == 201, upload.text
        sent = http.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            json={"client_id": f"photo-{caption}", "text": caption, "media_id": upload.json()["id"]},
        )
        assert sent.status_code == 201, sent.text
        return sent.json()


def _fetch(server: ServerProcess, user: User, path: str) -> tuple[int, bytes]:
    with server.client(user.token) as http:
        response = http.get(path)
        return response.status_code, response.content


def test_a_photo_arrives_live_and_again_on_resume(server: ServerProcess) -> None:
    ana, bo, cy = (sign_in(server, name) for name in ("Media Ana", "Media Bo", "Media Cy"))
    chat = direct_chat(server, ana, bo)
    cid, start = chat["id"], chat["last_seq"]

    async def scenario() -> tuple[list[dict[str, Any]], dict[str, Any], list[dict[str, Any]], list]:
        ws, backlog = await ws_connect(server, bo, {cid: start})
        assert backlog == []
        sent = await asyncio.to_thread(_send_photo, server, ana, cid, "live")
        live = await ws_messages(ws, cid, 1)
        extra = await ws_quiet(ws, cid)
        await ws.close()
        again, resumed = await ws_connect(server, bo, {cid: start})
        await again.close()
        return live, sent, resumed, extra

    live, sent, resumed, extra = asyncio.run(scenario())
    assert extra == []
    assert [m["id"] for m in live] == [m["id"] for m in resumed] == [sent["id"]]
    for message in (live[0], resumed[0]):
        assert (message["kind"], message["text"], message["media"]) == ("media", "live", sent["media"])
    status, data = _fetch(server, bo, sent["media"]["url"])
    assert status == 200 and GPS_MARK not in data
    assert _fetch(server, cy, sent["media"]["url"])[0] == 404
    assert _fetch(server, cy, sent["media"]["thumbnail_url"])[0] == 404


@pytest.mark.slow
def test_a_photo_sent_on_one_worker_reaches_the_other_through_redis(tmp_path: Path) -> None:
    with running_redis(tmp_path / "redis") as redis, workers(tmp_path, 2, redis.url) as (one, two):
        ana, bo = sign_in(one, "Asha", phone(1)), sign_in(two, "Bruno", phone(2))
        chat = direct_chat(one, ana, bo)
        cid, start = chat["id"], chat["last_seq"]

        async def scenario() -> tuple[list[dict[str, Any]], dict[str, Any]]:
            ws, _ = await ws_connect(two, bo, {cid: start})
            sent = await asyncio.to_thread(_send_photo, one, ana, cid, "across")
            live = await ws_messages(ws, cid, 1)
            await ws.close()
            return live, sent

        live, sent = asyncio.run(scenario())
        assert [(m["id"], m["kind"]) for m in live] == [(sent["id"], "media")]
        # The other worker serves it from the data folder they share.
        status, data = _fetch(two, bo, sent["media"]["url"])
        assert status == 200 and data == _fetch(one, ana, sent["media"]["url"])[1]
