"""Headers on every response: no page may frame ours (clickjacking), and a strict content policy.

``frame-ancestors`` only works as a header (a ``<meta>`` policy ignores it), so
the web client's own policy, stated in its ``index.html``, is sent again here
with ``frame-ancestors 'none'`` added.  Every other response (JSON, scripts,
images) gets a policy that allows nothing, so none of them can run as a page.
This middleware wraps the whole app, errors included, so a ``500`` carries them too.
A ``304`` carries no policy: it revalidates a response the browser kept, whose
headers it updates, so a policy there would replace the page's own on a reload.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CLIENT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)
"""The policy of core/souk/static/index.html's meta tag, word for word (a test keeps them equal)."""

CONSOLE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"
)
"""The operator console's policy (core/souk/static/admin/index.html's meta tag, word for word):
stricter than the chat page's, since the console shows no outside images."""

NO_FRAMES = "frame-ancestors 'none'"
PAGE_POLICY = f"{CLIENT_POLICY}; {NO_FRAMES}"
CONSOLE_PAGE_POLICY = f"{CONSOLE_POLICY}; {NO_FRAMES}"
OTHER_POLICY = f"default-src 'none'; {NO_FRAMES}"

ALWAYS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def policy_for(content_type: str, path: str = "/") -> str:
    if not content_type.startswith("text/html"):
        return OTHER_POLICY
    return CONSOLE_PAGE_POLICY if path.startswith("/admin") else PAGE_POLICY


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers[name] = value
                if message["status"] != 304:
                    content_type = headers.get("content-type", "")
                    headers["Content-Security-Policy"] = policy_for(content_type, scope["path"])
            await send(message)

        await self.app(scope, receive, with_headers)
