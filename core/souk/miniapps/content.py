"""What a handler may answer: text, or a screen (stored with its component ids)."""

from __future__ import annotations

from typing import Any

from souk_sdk import ui

from ..chat.conversations import MAX_TEXT


def content_fields(content: Any, revision: int = 1) -> tuple[str, dict[str, Any] | None]:
    """(text, screen JSON) of what a handler answered; TypeError for anything else.

    ``revision`` is the version of the message the screen will be (its buttons'
    ids say which, see :meth:`souk_sdk.ui.Screen.with_ids`).  A text longer than
    a message may be (an answer that quotes what the person typed, the plain
    rendering of a large screen) is shortened with an ellipsis, as the SDK
    shortens a component's text: what a person types never makes an answer
    impossible to send.
    """
    if isinstance(content, str):
        if not content.strip():
            raise TypeError("a mini-app answered with empty text")
        return ui.shorten(content, MAX_TEXT), None
    if isinstance(content, ui.Screen):
        screen = content.with_ids(revision)
        return ui.shorten(screen.to_text(), MAX_TEXT), screen.model_dump(mode="json", exclude_none=True)
    raise TypeError(f"a mini-app answered with {type(content).__name__}, not text or a Screen")
