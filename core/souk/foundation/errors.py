"""Errors the core raises for a caller's mistake: each has a stable code and an HTTP status."""

from __future__ import annotations

import math
from typing import Any


class CoreError(Exception):
    status = 400
    code = "bad_request"
    retry_after: int | None = None
    """Seconds until a retry may succeed; set on every ``429`` (see :class:`RateLimited`)."""

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details


class BadRequest(CoreError):
    status, code = 400, "bad_request"


class Unauthorized(CoreError):
    status, code = 401, "unauthorized"


class Forbidden(CoreError):
    status, code = 403, "forbidden"


class NotFound(CoreError):
    status, code = 404, "not_found"


class Conflict(CoreError):
    status, code = 409, "conflict"


class TooLarge(CoreError):
    status, code = 413, "body_too_large"


class Invalid(CoreError):
    status, code = 422, "invalid_request"


class AppFailed(CoreError):
    """A mini-app failed or timed out answering an HTTP call: not the caller's fault, not ours."""

    status, code = 502, "app_failed"


class AppTimeout(AppFailed):
    status, code = 504, "app_timeout"


class Unavailable(CoreError):
    status, code = 503, "unavailable"


class RateLimited(CoreError):
    """Too many requests: the answer says, in seconds, when to try again (``Retry-After``)."""

    status, code = 429, "rate_limited"

    def __init__(
        self, message: str, *, retry_after: float, code: str | None = None, details: Any = None
    ) -> None:
        super().__init__(message, code=code, details=details)
        self.retry_after = max(1, math.ceil(retry_after))
