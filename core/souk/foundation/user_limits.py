"""The limits on what one person can do: send, run commands, look people up by phone number,
and keep making a mini-app fail.

Built once per server from its settings; the API calls them before the work
they limit, after checking that the caller may do it at all (a stranger's
refused send does not count against a conversation).
"""

from __future__ import annotations

from .rate_limits import Charge, Limiter, Rule
from .settings import Settings


class UserLimits:
    def __init__(self, settings: Settings) -> None:
        self._limiter = Limiter(settings.redis_url)
        self._sends = Rule.of(
            "sends_per_user", settings.sends_per_user, "you are sending messages too fast; slow down"
        )
        self._conversation = Rule.of(
            "sends_per_conversation",
            settings.sends_per_conversation,
            "this conversation is getting messages too fast; try again in a moment",
        )
        self._commands = Rule.of(
            "commands_per_user", settings.commands_per_user, "you are running commands too fast; slow down"
        )
        self._lookups = Rule.of(
            "phone_lookups_per_user",
            settings.phone_lookups_per_user,
            "you looked up too many phone numbers; try again later, or use handles",
        )
        self._failures = Rule.of(
            "failures_per_user",
            settings.failures_per_user,
            "this mini-app failed on your last requests; wait before trying it again",
            code="too_many_failures",
        )

    def send(self, user_id: str, conversation_id: str, text: str) -> None:
        """One message from ``user_id`` into ``conversation_id``; a line starting with / is also a command."""
        charges = [Charge(self._sends, user_id), Charge(self._conversation, conversation_id)]
        if text.startswith("/"):
            charges.append(Charge(self._commands, user_id))
        self._limiter.charge(*charges)

    def phone_lookups(self, user_id: str, count: int) -> None:
        """``count`` people looked up by phone number in one request (nothing to count for none)."""
        if count:
            self._limiter.charge(Charge(self._lookups, user_id, count))

    def failed(self, user_id: str, app: str) -> None:
        """A request of ``user_id`` made ``app`` fail (raise, hang or answer garbage)."""
        self._limiter.record(Charge(self._failures, f"{app}:{user_id}"))

    def failing(self, user_id: str, app: str) -> float:
        """Seconds ``user_id`` must wait before ``app`` runs for them again: 0 unless their failures
        reached the limit.  It holds one person back; the mini-app keeps serving everyone else."""
        return self._limiter.wait(Charge(self._failures, f"{app}:{user_id}"))
