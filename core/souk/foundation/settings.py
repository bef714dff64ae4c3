"""Server settings, with the defaults a production server wants."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .clock import Clock, SystemClock

DEV_CODE = "000000"
"""The sign-in code accepted in development mode (``souk serve --demo``, the tests)."""


@dataclass
class Settings:
    data_dir: Path
    dev_code: str | None = None
    """When set, every sign-in code is this one instead of a random one."""
    demo: bool = False
    """``souk serve --demo``: the sign-in page may show the demo's people and code (GET /api/v1/demo)."""
    handler_timeout: float = 10.0
    """Seconds a mini-app handler may run before the user gets an apology."""
    breaker_threshold: int = 5
    """Consecutive failures after which a mini-app is suspended."""
    max_body_bytes: int = 64 * 1024
    code_ttl: dt.timedelta = dt.timedelta(minutes=5)
    code_max_attempts: int = 5
    code_requests_per_hour: int = 5
    token_ttl: dt.timedelta = dt.timedelta(days=30)
    event_poll_seconds: float = 1.0
    clock: Clock = field(default_factory=SystemClock)

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)

    @property
    def core_db_path(self) -> Path:
        return self.data_dir / "souk.db"

    def app_db_path(self, app: str) -> Path:
        return self.data_dir / "apps" / f"{app}.db"
