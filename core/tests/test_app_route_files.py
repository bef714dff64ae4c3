"""A mini-app route declared with a media type answers its bytes as that type, as the document says.

The tickets' QR codes are served this way.  A handler that returns anything but
bytes is the mini-app's bug: ``502 app_failed``, never a JSON body the document
does not describe.
"""

from __future__ import annotations

from typing import Any

from souk_sdk import ApiError, ApiRequest, Context, Manifest, MiniApp

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))

app = MiniApp(Manifest(name="badges", title="Badges", version="1.0.0", countries=["BR"], scopes=[]))


@app.route("GET", "/badges/{name}/image", summary="A badge's image", media_type="image/png")
async def badge(ctx: Context, request: ApiRequest) -> bytes:
    if request.path["name"] != "gold":
        raise ApiError(404, "not_found", "no such badge")
    return PNG


@app.route("GET", "/broken/image", summary="Says PNG, answers JSON", media_type="image/png")
async def broken(ctx: Context, request: ApiRequest) -> Any:
    return {"not": "bytes"}


def test_a_route_answers_bytes_with_its_media_type(souk_world: Any) -> None:
    world = souk_world([app])
    ana = world.user("Ana", "BR")
    status, content = world.core.request_bytes("GET", "/api/v1/apps/badges/badges/gold/image", ana.token)
    assert (status, content) == (200, PNG)
    assert world.core.request_bytes("GET", "/api/v1/apps/badges/badges/gold/image")[0] == 401
    missing = ana.call("GET", "/api/v1/apps/badges/badges/silver/image", expect=404)
    assert missing["error"]["code"] == "not_found"
    failed = ana.call("GET", "/api/v1/apps/badges/broken/image", expect=502)
    assert failed["error"]["code"] == "app_failed"


def test_the_document_describes_the_answer_as_binary_of_that_type(souk_world: Any) -> None:
    world = souk_world([app])
    document = world.call("GET", "/api/v1/openapi.json")
    operation = document["paths"]["/api/v1/apps/badges/badges/{name}/image"]["get"]
    assert operation["responses"]["200"]["content"] == {
        "image/png": {"schema": {"type": "string", "format": "binary"}}
    }
    assert operation["security"] == [{"bearer": []}]
