"""The matchmaking mini-app, its table of contents (entry point ``souk.plugins: matchmaking``).

Profiles, candidates, like or pass, matches, unmatching, blocking and
reporting in chat (:mod:`.chat`) and over HTTP (:mod:`.api`), on the rules of
:mod:`.profiles`, :mod:`.discovery`, :mod:`.liking` and :mod:`.safety`; the
timer that opens a match's chat (:mod:`.liking`); the operators' commands
(:mod:`.cli`), the demo's profiles (:mod:`.demo`), and what it holds about a
person (:mod:`.personal_data`).  Places are coarse by design (:mod:`.places`).
"""

from __future__ import annotations

from souk_sdk import FROM_SELF, Manifest, MiniApp, Subscription

from . import api, chat, cli, demo, liking, personal_data
from .limits import MatchmakingSettings
from .schema import migrations

app = MiniApp(
    Manifest(
        name="matchmaking",
        title="Matchmaking",
        version="1.0.0",
        description="Meet adults with a similar purpose: like or pass, and a mutual like opens a chat",
        countries=["*"],
        scopes=["profile"],
        sdk=">=1.4,<2",
    ),
    migrations=migrations,
    settings=MatchmakingSettings,
)
app.add(*chat.COMMANDS, *chat.ACTIONS, *api.ROUTES)
app.add(Subscription(liking.MATCH_MADE, liking.on_match_made, FROM_SELF))
app.cli(cli.add_commands)
app.demo(demo.build)
app.export(personal_data.export_user)
app.erase(personal_data.erase_user)
