"""A retried send lands once; reusing a client message id for another text is refused."""

from __future__ import annotations

import asyncio

from e2e_support import ServerProcess, create_group, history, sign_in


def test_retried_send_is_stored_once_and_reuse_is_refused(server: ServerProcess) -> None:
    ana = sign_in(server, "Ana Idem")
    bia = sign_in(server, "Bia Idem")
    group = create_group(server, ana, [bia])
    url = f"/api/v1/conversations/{group['id']}/messages"

    with server.client(ana.token) as http:
        first = http.post(url, json={"client_id": "retry-1", "text": "hello"})
        assert first.status_code == 201, first.text
        again = http.post(url, json={"client_id": "retry-1", "text": "hello"})
        assert again.status_code == 200, again.text
        assert again.json()["id"] == first.json()["id"]
        assert again.json()["seq"] == first.json()["seq"] == 2  # after the group's creation line

        reused = http.post(url, json={"client_id": "retry-1", "text": "something else"})
        assert reused.status_code == 409, reused.text
        assert reused.json()["error"]["code"] == "client_id_reused"
        assert reused.json()["error"]["message"]

    # The id belongs to its sender: another member may use the same one.
    with server.client(bia.token) as http:
        other = http.post(url, json={"client_id": "retry-1", "text": "hello"})
        assert other.status_code == 201, other.text
        assert other.json()["seq"] == 3

    stored = history(server, ana, group["id"])
    assert [(m["seq"], m["sender"]["id"], m["text"]) for m in stored] == [
        (1, "group", f"{ana.name} created the group “t”"),
        (2, ana.id, "hello"),
        (3, bia.id, "hello"),
    ]
    assert sum(1 for m in stored if m["client_id"] == "retry-1" and m["sender"]["id"] == ana.id) == 1


def test_concurrent_retries_of_one_send_store_one_message(server: ServerProcess) -> None:
    """The same send fired 25 times at once (a client retrying hard): one 201, 24 replays, one row."""
    ana = sign_in(server, "Ana Race")
    bia = sign_in(server, "Bia Race")
    group = create_group(server, ana, [bia])
    url = f"/api/v1/conversations/{group['id']}/messages"

    async def burst() -> list[tuple[int, dict]]:
        async with server.async_client(ana.token) as http:
            responses = await asyncio.gather(
                *(http.post(url, json={"client_id": "burst", "text": "once"}) for _ in range(25))
            )
        return [(r.status_code, r.json()) for r in responses]

    results = asyncio.run(burst())
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 24 + [201]
    assert len({body["id"] for _, body in results}) == 1
    assert {body["seq"] for _, body in results} == {2}  # after the group's creation line
    stored = [m for m in history(server, bia, group["id"]) if m["sender"]["kind"] == "user"]
    assert len(stored) == 1
    assert stored[0]["client_id"] == "burst"
    assert stored[0]["text"] == "once"
