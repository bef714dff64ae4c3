"""What a handler may answer: text, or a screen (stored with its component ids)."""

from __future__ import annotations

from typing import Any

from souk_sdk import ui


def content_fields(content: Any, revision: int = 1) -> tuple[str, dict[str, Any] | None]:
    """(text, screen JSON) of what a handler answered; TypeError for anything else.

    ``revision`` is the version of the message the screen will be (its buttons'
    ids say which, see :meth:`souk_sdk.ui.Screen.with_ids`).
    """
    if isinstance(content, str):
        if not content.strip():
            raise TypeError("a mini-app answered with empty text")
        return content, None
    if isinstance(content, ui.Screen):
        screen = content.with_ids(revision)
        return screen.to_text(), screen.model_dump(mode="json", exclude_none=True)
    raise TypeError(f"a mini-app answered with {type(content).__name__}, not text or a Screen")
