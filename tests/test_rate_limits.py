"""Every 429 says when to retry, the same in its ``Retry-After`` header and in ``error.retry_after``.

The app runs in-process (Starlette's test client, a real SQLite file) with
limits small enough to reach in a few calls.  One test walks every operation
of the served OpenAPI document that lists a 429 and drives it there: a route
that starts to document one without a way to reach it here fails the test.
A mini-app's own 429 (``ApiError(429, ...)``) gets the header too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from souk.app import DEFAULT_RETRY_AFTER, create_app
from souk.foundation.settings import Settings
from souk_sdk import ApiError, Context, Manifest, api_route, hookimpl
from starlette.testclient import TestClient

DEV_CODE = "000000"


@api_route("GET", "/busy", summary="Always too busy", scopes=[])
async def busy(ctx: Context, request: Any) -> dict[str, Any]:
    raise ApiError(429, "busy", "the desk is busy; come back later")


class Desk:
    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(name="desk", title="Desk", version="1.0.0", countries=["BR"])

    @hookimpl
    def souk_api_routes(self, register: Any) -> None:
        register(busy)


class Api:
    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.phones = iter(f"+55119000{n:05d}" for n in range(1, 10_000))

    def sign_in(self, name: str) -> dict[str, Any]:
        phone = next(self.phones)
        assert self.client.post("/api/v1/auth/code", json={"phone": phone}).status_code == 202
        signed = self.client.post(
            "/api/v1/auth/verify", json={"phone": phone, "code": DEV_CODE, "display_name": name}
        )
        assert signed.status_code == 200, signed.text
        return signed.json() | {"phone": phone}

    def call(self, who: dict[str, Any] | None, method: str, path: str, body: Any = None) -> httpx.Response:
        headers = {"authorization": f"Bearer {who['token']}"} if who else {}
        return self.client.request(method, path, json=body, headers=headers)


@pytest.fixture
def api(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Api]:
    limits = getattr(request, "param", {})
    settings = Settings(tmp_path, dev_code=DEV_CODE, code_requests_per_hour=3, **limits)
    with TestClient(create_app(settings, plugins=[Desk()])) as client:
        yield Api(client)


def _until_429(send: Callable[[], httpx.Response], most: int = 40) -> tuple[int, httpx.Response]:
    """Call ``send`` until it answers 429: (how many calls were accepted first, the 429)."""
    for accepted in range(most):
        response = send()
        if response.status_code == 429:
            return accepted, response
        assert response.status_code < 300, response.text
    raise AssertionError(f"no 429 after {most} calls")


def _says_when(response: httpx.Response) -> int:
    """The seconds a 429 asks to wait; header and body must agree."""
    error = response.json()["error"]
    assert response.headers["retry-after"] == str(error["retry_after"]), (response.headers, error)
    assert isinstance(error["retry_after"], int) and error["retry_after"] >= 1
    return error["retry_after"]


TIGHT = {
    "sends_per_user": "4 per hour",
    "sends_per_conversation": "6 per hour",
    "commands_per_user": "2 per hour",
    "phone_lookups_per_user": "2 per hour",
}


@pytest.mark.parametrize("api", [TIGHT], indirect=True)
def test_every_route_that_can_answer_429_says_when_to_retry(api: Api) -> None:
    ana, bia = api.sign_in("Ana"), api.sign_in("Bia")
    admin = api.client.app.state.runtime  # type: ignore[attr-defined]
    admin.operator_accounts.add("ana", "owner", "*", "test")
    operator = {"token": admin.operator_accounts.issue_sync("ana")}
    assert api.call(operator, "PUT", "/api/v1/admin/apps/desk/countries/BR").status_code == 200
    group = api.call(
        ana, "POST", "/api/v1/conversations", {"kind": "group", "title": "g", "members": []}
    ).json()
    messages = f"/api/v1/conversations/{group['id']}/messages"
    sends = iter(range(10_000))

    def wrong_codes() -> httpx.Response:
        phone = next(api.phones)
        assert api.call(None, "POST", "/api/v1/auth/code", {"phone": phone}).status_code == 202
        answers = [
            api.call(None, "POST", "/api/v1/auth/verify", {"phone": phone, "code": "123456"})
            for _ in range(6)
        ]
        assert [a.status_code for a in answers[:5]] == [401] * 5
        return answers[5]

    phone_ref, ana_ref = {"phone": bia["phone"]}, {"phone": ana["phone"]}
    bias = api.call(
        bia, "POST", "/api/v1/conversations", {"kind": "group", "title": "b", "members": []}
    ).json()
    drivers: dict[str, Callable[[], httpx.Response]] = {
        "request_code": lambda: _until_429(
            lambda: api.call(None, "POST", "/api/v1/auth/code", {"phone": "+5511987650099"})
        )[1],
        "verify": wrong_codes,
        "send_message": lambda: _until_429(
            lambda: api.call(ana, "POST", messages, {"client_id": f"s{next(sends)}", "text": "hi"})
        )[1],
        "create_conversation": lambda: _until_429(
            lambda: api.call(ana, "POST", "/api/v1/conversations", {"kind": "direct", "with": phone_ref})
        )[1],
        "add_members": lambda: _until_429(  # bia's lookups: ana's were spent on create_conversation
            lambda: api.call(
                bia, "POST", f"/api/v1/conversations/{bias['id']}/members", {"members": [ana_ref]}
            )
        )[1],
        "desk_get_busy": lambda: api.call(ana, "GET", "/api/v1/apps/desk/busy"),
    }
    document = api.client.get("/api/v1/openapi.json").json()
    can_429 = {
        op["operationId"]
        for methods in document["paths"].values()
        for op in methods.values()
        if "429" in op["responses"]
    }
    assert can_429 == set(drivers), f"a way to reach 429 for each: missing {can_429 - set(drivers)}"
    waits = {}
    for operation, drive in drivers.items():
        response = drive()
        assert response.status_code == 429, (operation, response.text)
        waits[operation] = _says_when(response)
    assert waits["desk_get_busy"] == DEFAULT_RETRY_AFTER
    assert 3500 <= waits["send_message"] <= 3600  # the hour's window: its first send leaves it then
    assert len(waits) == 6


@pytest.mark.parametrize("api", [{"sends_per_user": "3 per 2 seconds"}], indirect=True)
def test_a_client_that_waits_as_told_gets_through(api: Api) -> None:
    ana = api.sign_in("Ana")
    group = api.call(
        ana, "POST", "/api/v1/conversations", {"kind": "group", "title": "g", "members": []}
    ).json()
    url = f"/api/v1/conversations/{group['id']}/messages"
    sent = iter(range(100))
    accepted, refused = _until_429(
        lambda: api.call(ana, "POST", url, {"client_id": f"m{next(sent)}", "text": "hi"})
    )
    assert accepted == 3
    wait = _says_when(refused)
    assert wait <= 2
    time.sleep(wait)
    assert api.call(ana, "POST", url, {"client_id": "after", "text": "hi"}).status_code == 201
    # The refused send was not stored, nor counted.
    stored = api.call(ana, "GET", url).json()["messages"]
    assert [m["client_id"] for m in stored] == [None, "m0", "m1", "m2", "after"]  # after the creation line


@pytest.mark.parametrize("api", [TIGHT], indirect=True)
def test_a_command_counts_as_a_send_and_as_a_command(api: Api) -> None:
    ana = api.sign_in("Ana")
    group = api.call(
        ana, "POST", "/api/v1/conversations", {"kind": "group", "title": "g", "members": []}
    ).json()
    url = f"/api/v1/conversations/{group['id']}/messages"
    answers = [
        api.call(ana, "POST", url, {"client_id": f"c{n}", "text": "/help"}).status_code for n in range(3)
    ]
    assert answers == [201, 201, 429]  # commands: 2 an hour
    answers = [api.call(ana, "POST", url, {"client_id": f"t{n}", "text": "hi"}).status_code for n in range(3)]
    assert answers == [201, 201, 429]  # sends: 4 an hour, two of them commands


@pytest.mark.parametrize("api", [TIGHT], indirect=True)
def test_discovery_counts_phone_lookups_only_and_per_user(api: Api) -> None:
    ana, bia, cy = api.sign_in("Ana"), api.sign_in("Bia"), api.sign_in("Cy")
    by_handle = {"kind": "direct", "with": {"handle": bia["user"]["handle"]}}
    assert [api.call(ana, "POST", "/api/v1/conversations", by_handle).status_code for _ in range(4)] == [
        201
    ] * 4
    by_phone = {"kind": "direct", "with": {"phone": bia["phone"]}}
    stranger = {"kind": "direct", "with": {"phone": "+5511987650077"}}
    answers = [
        api.call(ana, "POST", "/api/v1/conversations", body).status_code
        for body in (by_phone, stranger, by_phone)
    ]
    assert answers == [201, 404, 429]  # a number nobody uses counts too: that is what discovery asks
    group = {
        "kind": "group",
        "title": "g",
        "members": [{"phone": ana["phone"]}, {"phone": bia["phone"]}, {"phone": cy["phone"]}],
    }
    refused = api.call(cy, "POST", "/api/v1/conversations", group)
    assert refused.status_code == 429, "three lookups in one request, over a limit of two"
    assert api.call(cy, "POST", "/api/v1/conversations", by_phone).status_code == 201, (
        "cy's own count is untouched"
    )
