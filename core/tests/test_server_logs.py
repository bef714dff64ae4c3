"""The log filters: tokens redacted wherever they appear in a record, formatters unharmed."""

from __future__ import annotations

import logging
import sys

import pytest
from souk.foundation.server_logs import REDACTED, ClientMistakes, RedactTokens, redact
from uvicorn.logging import AccessFormatter

TOKEN = "rB5QBQOTC0YgUEJrCTTLKfLe2NgQcaYxzNkWgFAkKc4"


@pytest.mark.parametrize(
    "text",
    [
        f'127.0.0.1:5 - "WebSocket /api/v1/ws?token={TOKEN}" [accepted]',
        f"GET /api/v1/me?a=1&token={TOKEN}&b=2 HTTP/1.1",
        f'< TEXT \'{{"type": "auth", "token": "{TOKEN}"}}\' [72 bytes]',
        f'< TEXT \'{{"type":"auth","token":"{TOKEN[:20]}...\' [72 bytes]',
        f"authorization: Bearer {TOKEN}",
    ],
)
def test_every_form_of_a_token_is_redacted_and_redacting_twice_changes_nothing(text: str) -> None:
    once = redact(text)
    assert TOKEN[:12] not in once and REDACTED in once
    assert redact(once) == once


def _record(msg: str, args: tuple[object, ...], name: str = "uvicorn.access") -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)


def test_the_access_formatter_still_reads_its_arguments() -> None:
    record = _record('%s - "%s %s HTTP/%s" %d', ("127.0.0.1:5", "GET", f"/x?token={TOKEN}", "1.1", 200))
    assert RedactTokens().filter(record)
    line = AccessFormatter("%(message)s", use_colors=False).format(record)
    assert line == '127.0.0.1:5 - "GET /x?token=[redacted] HTTP/1.1" 200'


def test_a_token_inside_an_argument_of_another_type_is_caught_in_the_message() -> None:
    class Frame:
        def __str__(self) -> str:
            return f'TEXT {{"token": "{TOKEN}"}}'

    record = _record("< %s", (Frame(),), name="websockets.server")
    RedactTokens().filter(record)
    assert record.getMessage() == '< TEXT {"token": "[redacted]"}'


def test_a_text_frame_that_is_not_utf8_is_a_warning_without_traceback() -> None:
    try:
        b"\xff".decode()
    except UnicodeDecodeError:
        failure = sys.exc_info()
    message = "Invalid UTF-8 sequence received from client."
    record = logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1, message, (), failure)
    assert ClientMistakes().filter(record)
    assert (record.levelname, record.exc_info) == ("WARNING", None)
