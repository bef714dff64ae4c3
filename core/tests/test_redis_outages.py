"""What the Redis live bus counts as an outage (logged plainly) and as its own failure (a traceback)."""

from __future__ import annotations

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from souk.chat.redis_bus import is_outage


def _raised_while_handling(first: BaseException, second: BaseException) -> BaseException:
    try:
        try:
            raise first
        except BaseException:
            raise second  # noqa: B904 - the implicit chain (__context__) is what is tested
    except BaseException as exc:
        return exc


@pytest.mark.parametrize(
    "exc",
    [
        RedisConnectionError("Connection closed by server."),
        ConnectionResetError(),
        TimeoutError(),
        # redis-py may fail again while cleaning up a closed connection:
        _raised_while_handling(RedisConnectionError("closed"), RuntimeError("the handler is closed")),
    ],
    ids=["redis", "reset", "timeout", "cleanup_after_close"],
)
def test_a_lost_connection_is_an_outage(exc: BaseException) -> None:
    assert is_outage(exc)


@pytest.mark.parametrize(
    "exc",
    [RuntimeError("a bug"), ValueError("a bug"), _raised_while_handling(KeyError("x"), RuntimeError("y"))],
    ids=["runtime", "value", "chained_bug"],
)
def test_anything_else_is_a_failure_of_ours(exc: BaseException) -> None:
    assert not is_outage(exc)
