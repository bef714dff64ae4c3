"""The demo's Loja da Bruna: its inbox is ready to try, with a customer's question waiting.

The question goes through the automated answers a real customer's message gets: the
greeting for a first contact, and the away message only when the demo is built outside
the shop's opening hours (Monday to Saturday, 9:00 to 19:00, São Paulo time).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from souk.foundation.clock import ManualClock
from souk.foundation.settings import Settings
from souk.operators import demo, demo_businesses
from souk.runtime import Runtime

SAO_PAULO = ZoneInfo("America/Sao_Paulo")


@pytest.mark.parametrize(
    ("local_time", "away"),
    [(dt.datetime(2030, 3, 13, 12, 0), False), (dt.datetime(2030, 3, 13, 22, 30), True)],
    ids=["open", "closed"],
)
def test_lojas_inbox_waits_with_a_question_answered_as_a_real_one_would_be(
    tmp_path, local_time: dt.datetime, away: bool
) -> None:
    clock = ManualClock(local_time.replace(tzinfo=SAO_PAULO).astimezone(dt.UTC))
    runtime = Runtime.open(Settings(tmp_path, clock=clock), [])
    try:
        assert demo.build(runtime) is True
        db = runtime.core.db
        loja = next(db.query("SELECT id FROM businesses WHERE handle = 'lojadabruna'"))["id"]
        threads = list(db.query("SELECT * FROM inbox_threads WHERE business_id = ?", [loja]))
        assert len(threads) == 1 and threads[0]["state"] == "open" and threads[0]["assignee_id"] is None
        texts = [
            row["text"]
            for row in db.query(
                "SELECT text FROM messages WHERE conversation_id = ? ORDER BY seq",
                [threads[0]["conversation_id"]],
            )
        ]
        settings = demo_businesses.LOJA_INBOX
        expected = [demo_businesses.WAITING[1], settings["greeting"]] + (
            [settings["away_message"]] if away else []
        )
        assert texts == expected
        names = [r["name"] for r in db.query("SELECT name FROM quick_replies WHERE business_id = ?", [loja])]
        assert sorted(names) == sorted(demo_businesses.LOJA_QUICK_REPLIES)
    finally:
        runtime.close()
