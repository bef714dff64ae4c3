"""Server settings, with the defaults a production server wants."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .clock import Clock, SystemClock

DEV_CODE = "000000"
"""The sign-in code accepted in development mode (``souk serve --demo``, the tests)."""

RULE_SETTINGS = (
    "sends_per_user",
    "sends_per_conversation",
    "commands_per_user",
    "phone_lookups_per_user",
    "failures_per_user",
)
"""The settings that hold a rate limit rule, each tunable with ``souk serve --limit NAME=RULE``."""


@dataclass
class Settings:
    data_dir: Path
    dev_code: str | None = None
    """When set, every sign-in code is this one instead of a random one."""
    demo: bool = False
    """``souk serve --demo``: the sign-in page may show the demo's people and code (GET /api/v1/demo)."""
    handler_timeout: float = 10.0
    """Seconds a mini-app handler may run before the user gets an apology."""
    # The breaker (docs/operators.md, "The breaker"): a mini-app is suspended when, over the last
    # ``breaker_window``, at least ``breaker_threshold`` requests reached it, their failures came from
    # at least ``breaker_min_users`` people, and the failures, each person's counted up to
    # ``breaker_user_share`` of the requests, make at least ``breaker_error_rate`` of them.
    breaker_threshold: int = 20
    """Requests a mini-app must have had in the window before its error rate is judged."""
    breaker_window: dt.timedelta = dt.timedelta(seconds=60)
    breaker_error_rate: float = 0.5
    breaker_min_users: int = 5
    """Distinct people whose requests failed in the window (an event about nobody counts as one)."""
    breaker_user_share: float = 0.1
    """The most of the window's requests that one person's failures count for; below the error rate."""
    max_body_bytes: int = 64 * 1024
    code_ttl: dt.timedelta = dt.timedelta(minutes=5)
    code_max_attempts: int = 5
    code_requests_per_hour: int = 5
    token_ttl: dt.timedelta = dt.timedelta(days=30)
    # Rate limits, in the ``limits`` notation ("N per 10 seconds; M per minute"), or "off".
    # The short windows let a person's burst through and cut a script's; see docs/operators.md.
    sends_per_user: str = "30 per 10 seconds; 120 per minute; 2000 per day"
    """Messages one person sends, commands included, in all their conversations."""
    sends_per_conversation: str = "60 per 10 seconds; 600 per minute"
    """Messages all the members of one conversation send together."""
    commands_per_user: str = "10 per 10 seconds; 60 per minute; 1000 per day"
    """Commands (sends starting with /) one person sends: each also counts as a send."""
    phone_lookups_per_user: str = "60 per hour; 200 per day"
    """People one person looks up by phone number to start or grow a chat (discovery)."""
    failures_per_user: str = "5 per minute; 30 per hour"
    """Failed requests of one person to one mini-app; past it, that person waits (the mini-app runs on)."""
    event_poll_seconds: float = 1.0
    media_max_bytes: int = 10 * 1024 * 1024
    """The largest photo or file one may upload (what is sent, before sanitising)."""
    media_quota_bytes: int = 200 * 1024 * 1024
    """What one person may keep in photos and files, in all."""
    outbound_allow: tuple[str, ...] = ()
    """Addresses the outbound-HTTP guard lets through although they are not public ("127.0.0.1:8123"
    or "10.0.0.7"): for a test's own server, or an image server on the operator's network.  Empty:
    only public addresses are ever fetched."""
    outbound_timeout: float = 5.0
    """Seconds an outside fetch (an image a screen names) may take, connection and body together."""
    outbound_max_bytes: int = 5 * 1024 * 1024
    """The largest answer an outside fetch may read."""
    redis_url: str | None = None
    """Redis for the live bus and the rate-limit counters, shared by several workers (docs/scaling.md);
    None: both stay in this process."""
    clock: Clock = field(default_factory=SystemClock)

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)

    @property
    def core_db_path(self) -> Path:
        return self.data_dir / "souk.db"

    def app_db_path(self, app: str) -> Path:
        return self.data_dir / "apps" / f"{app}.db"
