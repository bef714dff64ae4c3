"""Photos and files: upload one, then send it in a message; fetch what you may see (chat/media.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.responses import FileResponse

from ..chat.media import Owner
from ..chat.media_types import SERVED_TYPES
from . import schemas as s
from .endpoints import Call, Download, EndpointSet

api = EndpointSet("media")

UPLOAD = "/api/v1/media"


@api.route(
    "POST",
    UPLOAD,
    summary="Upload a photo or a file (its bytes as the body); send it with a message's media_id",
    query=s.MediaUploadQuery,
    response=s.MediaInfo,
    status=201,
    errors=(404, 413, 422),
    upload=True,
)
async def upload_media(call: Call) -> dict[str, Any]:
    q: s.MediaUploadQuery = call.query
    data = await call.request.body()  # the size limit was enforced while it was read (BodyLimit)
    return await call.runtime.media.upload(
        Owner("user", call.me["id"]), data, q.name, purpose=q.purpose, conversation_id=q.conversation_id
    )


async def _serve(call: Call, thumbnail: bool) -> FileResponse:
    row, path = call.runtime.media.open_for(call.path["media_id"], call.me["id"], thumbnail=thumbnail)
    disposition = "inline" if row["kind"] == "image" else "attachment"
    return FileResponse(
        path,
        media_type="image/jpeg" if thumbnail else row["content_type"],
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(row['name'])}",
            "Cache-Control": "private, max-age=31536000, immutable",
        },
    )


@api.route(
    "GET",
    UPLOAD + "/{media_id}",
    summary="A photo or file, to its conversation's members (404 to anyone else)",
    response=Download(SERVED_TYPES[0], SERVED_TYPES[1:]),
    errors=(404,),
)
async def get_media(call: Call) -> FileResponse:
    return await _serve(call, thumbnail=False)


@api.route(
    "GET",
    UPLOAD + "/{media_id}/thumbnail",
    summary="A photo's small version (at most 320 pixels a side), to whom may see the photo",
    response=Download("image/jpeg"),
    errors=(404,),
)
async def get_media_thumbnail(call: Call) -> FileResponse:
    return await _serve(call, thumbnail=True)
