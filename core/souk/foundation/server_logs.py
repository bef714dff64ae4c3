"""What the server's log lines may hold: never a token, and a client's mistake is not an error.

A filter on every log handler redacts a token wherever one can appear in a
record: ``token=...`` in a URL (the deprecated WebSocket form, in uvicorn's
access and connection lines), ``"token": "..."`` in JSON text (a frame that a
debug log shows, even cut short), and ``Bearer ...`` (a header).  Arguments are redacted one by one, so that
formatters that read them (uvicorn's access formatter) keep working; a token
hidden inside an argument of another type is caught in the formatted message.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[redacted]"
_PATTERNS = (
    re.compile(r"(?i)([?&;]token=)[A-Za-z0-9._~%+/=-]+"),
    re.compile(r"(?i)(\\?[\"']token\\?[\"']\s*:\s*\\?[\"'])[^\"'\\]*"),
    re.compile(r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=-]+"),
)


def redact(text: str) -> str:
    """``text`` with every token replaced by ``[redacted]`` (again on a redacted text: no change)."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text


def _redact_arg(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_arg(a) for a in record.args)
        elif isinstance(record.args, Mapping):
            record.args = {k: _redact_arg(v) for k, v in record.args.items()}
        message = record.getMessage()
        if redact(message) != message:
            record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


class ClientMistakes(logging.Filter):
    """A text frame that is not UTF-8 is the client's mistake: one warning line, not an error's traceback.

    uvicorn answers it correctly (it closes the socket with 1007) but logs it as an exception,
    so any client could fill the log with tracebacks that look like the server's bugs.
    """

    MESSAGES = frozenset({"Invalid UTF-8 sequence received from client."})

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg in self.MESSAGES:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        return True


def install() -> None:
    """Put the token filter on every handler there is now (the root logger's and each named
    logger's), and the client-mistakes filter on uvicorn's error logger.

    Call it once logging is configured (uvicorn configures its own handlers when its
    ``Config`` is made).
    """
    uvicorn_errors = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, ClientMistakes) for f in uvicorn_errors.filters):
        uvicorn_errors.addFilter(ClientMistakes())
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in logging.root.manager.loggerDict)]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, RedactTokens) for f in handler.filters):
                handler.addFilter(RedactTokens())
