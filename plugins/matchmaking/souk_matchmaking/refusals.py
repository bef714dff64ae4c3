"""A refusal the member (or a program) can act on: a stable code, a sentence, the field at fault."""

from __future__ import annotations

from souk_sdk import ApiError, NotFound


class Refused(ApiError):
    """Raised by the rules of matchmaking; chat shows the message, HTTP the status and code."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        details = {"field": field} if field else None
        super().__init__(status, code, message, details=details, retry_after=retry_after)
        self.field = field


class NoSuchMember(NotFound, ApiError):
    """An unknown card, or one the asker may not see: the same answer, so a block cannot be detected."""

    def __init__(self) -> None:
        ApiError.__init__(self, 404, "not_found", "There is no such profile.")
