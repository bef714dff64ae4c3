"""Every admin route, read from the OpenAPI document, refuses whoever may not use it.

- a chat user's token: 403 ``operator_only``, on every admin route;
- a viewer's account: 403 ``read_only``, on every admin route that changes something;
- an operator of Brazil: 403 ``outside_your_countries`` on every admin route that changes
  something in a country it names, when that country is India;

and none of those refusals writes an audit entry.  The routes come from the served document,
so a route added later is held to the same rules without a line of this test changing.
"""

from __future__ import annotations

import re
from typing import Any

from miniapps import Echo, Notes

PLACEHOLDERS = {"app": "notes", "country": "IN"}
OWN_SESSION = "/api/v1/admin/session"
"""Signing out ends one's own session: every account may, a viewer's too."""


def _admin_routes(world: Any) -> list[tuple[str, str, str]]:
    """(method, template, a concrete path) of every admin operation that needs a token."""
    document = world.call("GET", "/api/v1/openapi.json")
    found = []
    for template, methods in document["paths"].items():
        for method, operation in methods.items():
            if operation["tags"] == ["admin"] and "security" in operation:
                path = re.sub(r"{(\w+)}", lambda m: PLACEHOLDERS.get(m.group(1), "nothing_here"), template)
                found.append((method.upper(), template, path))
    return found


def _audit_rows(world: Any) -> int:
    return world.core.runtime.core.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]


def test_every_admin_route_refuses_chat_users_viewers_writes_and_other_countries(souk_world) -> None:
    world = souk_world([Notes(), Echo()])
    ana = world.user("Ana", "BR")
    viewer = world.operator("vera", "viewer", "*")
    brazil = world.operator("bruno", "operator", "BR")
    routes = _admin_routes(world)
    writes = [r for r in routes if r[0] != "GET" and r[1] != OWN_SESSION]
    in_a_country = [r for r in writes if "{country}" in r[1]]
    assert (len(routes), len(writes), len(in_a_country)) >= (20, 10, 5), (len(routes), len(writes))
    audited = _audit_rows(world)

    chat_user = [(m, t) for m, t, p in routes if _code(world, m, p, ana.token) != "operator_only"]
    assert chat_user == [], f"{len(chat_user)} of {len(routes)} admin routes let a chat user through"
    viewer_wrote = [(m, t) for m, t, p in writes if _code(world, m, p, viewer) != "read_only"]
    assert viewer_wrote == [], f"{len(viewer_wrote)} of {len(writes)} writes let a viewer through"
    abroad = [(m, t) for m, t, p in in_a_country if _code(world, m, p, brazil) != "outside_your_countries"]
    assert abroad == [], f"{len(abroad)} of {len(in_a_country)} let Brazil's operator act on India"
    assert _audit_rows(world) == audited


def _code(world: Any, method: str, path: str, token: str) -> str | None:
    """The error code of a 403 answer, else None (so that anything but a refusal is listed)."""
    status, body = world.core.request(method, path, token, {})
    return body["error"]["code"] if status == 403 else None
