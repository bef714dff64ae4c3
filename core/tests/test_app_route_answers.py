"""A mini-app route's answer is sent as its declared response model, the one the document publishes.

Fields the model does not declare are not sent; an answer that does not fit
is the mini-app's bug, ``502 app_failed``, never a body the document does not
describe; a route without ``response=`` still works, with a warning at start-up.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel
from souk_sdk import ApiRequest, Context, Manifest, api_route, hookimpl


class Balance(BaseModel):
    amount: int
    currency: str


@api_route("GET", "/balance", summary="A balance", response=Balance, scopes=[])
async def balance(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    return {"amount": 5, "currency": "BRL", "owner": "an id of this mini-app's"}


@api_route("GET", "/broken", summary="Answers what it does not declare", response=Balance, scopes=[])
async def broken(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    return {"amount": "five"}


@api_route("GET", "/loose", summary="Declares no response", scopes=[])
async def loose(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    return {"anything": True}


class Bank:
    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(name="bank", title="Bank", version="1.0.0", countries=["BR"], scopes=[])

    @hookimpl
    def souk_api_routes(self, register: Any) -> None:
        for route in (balance, broken, loose):
            register(route)


def test_an_answer_is_sent_as_its_declared_model(souk_world: Any, caplog: Any) -> None:
    with caplog.at_level(logging.WARNING, logger="souk.api.routes_apps"):
        world = souk_world([Bank()])
    warned = [r.getMessage() for r in caplog.records if "declares no response model" in r.getMessage()]
    assert warned == [
        "mini-app bank: GET /loose declares no response model, so the API document cannot "
        "describe its answer (declare api_route(..., response=Model))"
    ]
    ana = world.user("Ana", "BR")
    assert ana.call("GET", "/api/v1/apps/bank/balance") == {"amount": 5, "currency": "BRL"}
    failed = ana.call("GET", "/api/v1/apps/bank/broken", expect=502)
    assert failed["error"]["code"] == "app_failed"
    assert ana.call("GET", "/api/v1/apps/bank/loose") == {"anything": True}
    document = world.call("GET", "/api/v1/openapi.json")
    answers = {
        path: operation["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        for path, operation in document["paths"].items()
        if path.startswith("/api/v1/apps/bank/")
    }
    assert len(answers) == 3
    assert answers["/api/v1/apps/bank/balance"] == {"$ref": "#/components/schemas/Balance"}
    assert "$ref" not in answers["/api/v1/apps/bank/loose"]
