"""A mini-app's own HTTP endpoints (souk_api_routes): auth, consent, bodies with people, errors."""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import BaseModel
from souk_sdk import ApiError, Context, Manifest, PublicUser, api_route, hookimpl


class Tip(BaseModel):
    to: PublicUser
    amount: int
    note: str = ""


@api_route("POST", "/tips", summary="Leave a tip", body=Tip, status=201, scopes=[])
async def tip(ctx: Context, request: Any) -> dict[str, Any]:
    body: Tip = request.body
    if body.amount <= 0:
        raise ApiError(422, "invalid_amount", "a tip is more than zero")
    if body.to.id == ctx.user.id:
        raise ApiError(409, "self_tip", "you cannot tip yourself")
    return {"to": body.to.id, "name": body.to.display_name, "amount": body.amount, "from": ctx.user.id}


@api_route("GET", "/broken", summary="Always fails", scopes=[])
async def broken(ctx: Context, request: Any) -> dict[str, Any]:
    raise RuntimeError("boom")


@api_route("GET", "/slow", summary="Never answers in time", scopes=[])
async def slow(ctx: Context, request: Any) -> dict[str, Any]:
    await asyncio.sleep(5)
    return {}


@api_route("GET", "/private", summary="Needs the profile scope", scopes=["profile"])
def private(ctx: Context, request: Any) -> dict[str, Any]:
    return {"name": ctx.user.display_name, "query": request.query}


class Tips:
    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(
            name="tips", title="Tips", version="1.0.0", countries=["BR", "IN"], scopes=["profile"]
        )

    @hookimpl
    def souk_api_routes(self, register: Any) -> None:
        for route in (tip, broken, slow, private):
            register(route)


def test_a_route_resolves_people_and_answers_in_the_apps_own_ids(souk_world) -> None:
    world = souk_world([Tips()])
    ana, bob = world.user("Ana", "BR"), world.user("Bob", "BR")
    answer = ana.call("POST", "/api/v1/apps/tips/tips", {"to": f"@{bob.handle}", "amount": 5}, expect=201)
    assert answer["name"] == "Bob" and answer["amount"] == 5
    assert answer["to"] not in (bob.profile["id"], ana.profile["id"])
    assert answer["from"] != answer["to"]


def test_route_errors_are_4xx_or_502_504_never_500(souk_world) -> None:
    world = souk_world([Tips()], handler_timeout=0.3, breaker_threshold=10)
    ana, bob = world.user("Ana", "BR"), world.user("Bob", "BR")
    path = "/api/v1/apps/tips/tips"
    refused = ana.call("POST", path, {"to": f"@{bob.handle}", "amount": 0}, expect=422)
    assert refused["error"]["code"] == "invalid_amount"
    assert (
        ana.call("POST", path, {"to": f"@{ana.handle}", "amount": 1}, expect=409)["error"]["code"]
        == "self_tip"
    )
    assert ana.call("POST", path, {"to": "@nobody_here", "amount": 1}, expect=404)["error"]["code"] == (
        "user_not_found"
    )
    assert (
        ana.call("POST", path, {"to": "bob", "amount": 1}, expect=422)["error"]["code"] == "invalid_request"
    )
    assert ana.call("POST", path, {"to": f"@{bob.handle}", "amount": 1, "x": 1}, expect=422)
    assert ana.call("GET", "/api/v1/apps/tips/broken", expect=502)["error"]["code"] == "app_failed"
    assert ana.call("GET", "/api/v1/apps/tips/slow", expect=504)["error"]["code"] == "app_timeout"
    assert world.call("GET", "/api/v1/apps/tips/broken", expect=401)["error"]["code"] == "unauthorized"


def test_consent_and_country_guard_a_route(souk_world) -> None:
    world = souk_world([Tips()])
    ana = world.user("Ana", "BR")
    assert ana.call("GET", "/api/v1/apps/tips/private", expect=403)["error"]["code"] == "consent_required"
    world.core.runtime.core.write_sync(
        lambda db: db.execute(
            "INSERT INTO consents VALUES (?, 'tips', 'profile', '2030-01-01')", [ana.profile["id"]]
        )
    )
    assert ana.call("GET", "/api/v1/apps/tips/private?x=1") == {"name": "Ana", "query": {"x": "1"}}
    jean = world.user("Jean", "FR")
    assert jean.call("GET", "/api/v1/apps/tips/private", expect=404)["error"]["code"] == "app_not_found"


def test_routes_are_in_the_openapi_document(souk_world) -> None:
    world = souk_world([Tips()])
    document = world.call("GET", "/api/v1/openapi.json")
    operation = document["paths"]["/api/v1/apps/tips/tips"]["post"]
    assert operation["tags"] == ["app:tips"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert document["components"]["schemas"][body]["properties"]["to"]["pattern"].startswith("^@")
    assert {"201", "401", "403", "404", "422", "502", "504"} <= set(operation["responses"])
