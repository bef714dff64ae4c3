"""Messages written while their sender was offline, sent once the connection was back.

A message takes its place in the conversation when the server stores it: one order for
everyone, whatever the clocks of the devices say.  What the sender's client says of
when it was written is kept beside it (``written_at``), so every client can show that
it was written earlier than the messages around it.
"""

from __future__ import annotations

import datetime as dt

from ..foundation.clock import iso
from ..foundation.errors import Invalid

LONGEST_OFFLINE = dt.timedelta(days=7)
"""An older claim is taken as this old: a device's clock may be wrong, and nobody waits longer."""
UNREMARKABLE = dt.timedelta(seconds=5)
"""Written this little before it arrived: an ordinary send, nothing to show."""


def written_at(claimed: str | None, now: dt.datetime) -> str | None:
    """The time to keep for a message the client says was written at ``claimed`` (or ``None``).

    422 ``invalid_request`` for a text that is not an ISO 8601 time with its offset; a
    time in the future is now, one more than a week old is a week ago.
    """
    if claimed is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(claimed)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Invalid("written_at is an ISO 8601 time with its offset", code="invalid_request")
    moment = max(min(moment, now), now - LONGEST_OFFLINE)
    return iso(moment) if now - moment >= UNREMARKABLE else None
