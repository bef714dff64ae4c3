"""The chat's live parts that need the sharing rule of ``people``: receipts, presence, typing.

``chat`` and ``people`` are layers side by side (neither imports the other), so they
meet here, one layer up: each runtime gets its parts on first use, built over its
store, hub and clock, with the sharing rule handed to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from ..chat.presence import Presence
from ..chat.ticks import Receipts
from ..people.sharing import Sharing
from ..runtime import Runtime


@dataclass(frozen=True)
class ChatParts:
    sharing: Sharing
    receipts: Receipts
    presence: Presence


_PARTS: WeakKeyDictionary[Runtime, ChatParts] = WeakKeyDictionary()


def parts(runtime: Runtime) -> ChatParts:
    found = _PARTS.get(runtime)
    if found is None:
        clock = runtime.settings.clock
        sharing = Sharing(runtime.core)
        found = ChatParts(
            sharing,
            Receipts(runtime.core, runtime.hub, clock, sharing),
            Presence(
                runtime.core, runtime.hub, clock, sharing, shared=runtime.settings.redis_url is not None
            ),
        )
        _PARTS[runtime] = found
        if found.presence.shared:
            runtime.keep_running(found.presence.keep_alive(), "souk-presence")
    return found
