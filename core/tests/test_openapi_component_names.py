"""Two models of one name (a mini-app's ``Staff`` beside the core's) are two components.

Each operation's ``$ref`` leads to the schema of its own model, whatever order the
endpoints are declared in: a document that gave both routes one ``Staff`` would
describe one of them wrongly, and which one would depend on import order.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, create_model
from souk.api import openapi
from souk.api.endpoints import Endpoint


async def _handler(call: Any) -> None:  # pragma: no cover - never called
    return None


def _staff(module: str, field: str) -> type[BaseModel]:
    return create_model("Staff", __module__=module, **{field: (str, ...)})


def _body_fields(document: dict[str, Any], path: str) -> set[str]:
    ref = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return set(document["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"])


def test_two_models_of_one_name_keep_their_own_schemas_in_either_order() -> None:
    core_staff, app_staff = _staff("souk.api.people", "handle"), _staff("souk_tickets.api", "door")
    routes = [
        Endpoint("POST", "/core", _handler, "core staff", "core", body=core_staff, response=core_staff),
        Endpoint("POST", "/app", _handler, "app staff", "app", body=app_staff, response=app_staff),
    ]
    for order in (routes, routes[::-1]):
        document = openapi.build(order)
        assert _body_fields(document, "/core") == {"handle"}
        assert _body_fields(document, "/app") == {"door"}
        staff = sorted(name for name in document["components"]["schemas"] if name.endswith("Staff"))
        assert staff == ["souk__api__people__Staff", "souk_tickets__api__Staff"], staff
