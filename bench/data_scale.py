"""How the core's costs grow with its data: the same operations on databases of 3 k to 10 M messages.

    uv run python -m bench.data_scale --quick     # 3 k and 100 k messages
    uv run python -m bench.data_scale             # 3 k, 100 k, 1 M and 10 M messages (long)

Each size gets a fresh data folder, filled in bulk: users signed in through the
core's own code, groups of ten made by it, then the messages inserted with one
``INSERT ... SELECT`` per conversation (the search index's triggers run as they do
on every send), with a conversation's seqs and ``last_seq`` as sends leave them.
Then the operations people wait on run in the same process, through the core's
functions (the HTTP layer's cost does not depend on the data):

- a send into a large conversation (stored and committed: the group-commit writer);
- the latest page of a history (50), and a page from its middle;
- a resume after 1,000 missed messages (what the WebSocket reads);
- the conversation list of a person in 20 conversations, who read all but 10 of each;
- a sign-in (code and verify, a new person each time).

Each figure is the median and p99 of its repetitions, and the ratio to the same
operation on the smallest database of the run: the goal is at most 1.5.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from souk.chat import conversations
from souk.chat.conversations import Sender
from souk.foundation.clock import iso
from souk.foundation.settings import Settings
from souk.people.phones import parse_phone
from souk.runtime import Runtime

from .stats import percentile

QUICK_SIZES = (3_000, 100_000)
FULL_SIZES = (3_000, 100_000, 1_000_000, 10_000_000)
"""The smallest is the "empty" database: its largest conversation holds just enough for a resume
after 1,000 missed messages."""
REPEAT = 30


def _phone(n: int) -> str:
    return f"+9197{n:08d}"


async def _sign_in(runtime: Runtime, n: int) -> dict[str, Any]:
    phone = parse_phone(_phone(n))
    await runtime.auth.request_code(phone, f"bench-{n % 1000}")
    return (await runtime.auth.verify(phone, "000000", f"Person {n}")).user


def _fill(db: Any, conversation_id: str, sender: dict[str, Any], count: int, now: str) -> None:
    """``count`` messages from ``sender`` in one statement, with the seqs a run of sends gives."""
    db.execute(
        """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
        INSERT INTO messages (id, conversation_id, seq, changed_seq, sender_kind, sender_id, sender_name,
                              kind, text, created_at, revision)
        SELECT 'm_' || ? || '_' || (c.last_seq + i), ?, c.last_seq + i, c.last_seq + i, 'user', ?, ?,
               'text', 'message number ' || (c.last_seq + i) || ' about the market today', ?, 1
        FROM n, conversations c WHERE c.id = ?
        """,
        [count, conversation_id, conversation_id, sender["id"], sender["display_name"], now, conversation_id],
    )
    db.execute("UPDATE conversations SET last_seq = last_seq + ? WHERE id = ?", [count, conversation_id])


async def build(runtime: Runtime, messages: int) -> dict[str, Any]:
    """The world of one size; the person whose operations are timed, and their conversations."""
    groups = max(20, min(10_000, messages // 1_000))
    people = [await _sign_in(runtime, n) for n in range(max(30, min(2_000, groups // 2)))]
    probe = people[0]
    now = iso(runtime.settings.clock.now())
    ids = []
    for g in range(groups):
        # The probe is in the first 20 groups; the others are ten people each, in turn.
        members = [people[(g * 7 + k) % len(people)]["id"] for k in range(1, 10)]
        owner = probe["id"] if g < 20 else people[(g * 7) % len(people)]["id"]
        row = await runtime.core.write(
            lambda db, g=g, owner=owner, members=members: conversations.create_group(
                db, owner, f"group {g}", [m for m in members if m != owner], now
            )
        )
        ids.append(row["id"])
    # The first group holds half of all messages (the send, history and resume are timed there).
    per_group, extra = divmod(messages - messages // 2, groups - 1)
    for index, cid in enumerate(ids):
        count = messages // 2 if index == 0 else per_group + (extra if index == 1 else 0)
        sender = people[(index * 7 + 1) % len(people)]
        for start in range(0, count, 50_000):
            chunk = min(50_000, count - start)
            await runtime.core.write(lambda db, cid=cid, n=chunk, s=sender: _fill(db, cid, s, n, now))
    await runtime.core.write(
        lambda db: db.execute(
            "UPDATE members SET last_read_seq = MAX(0, (SELECT last_seq FROM conversations c "
            "WHERE c.id = members.conversation_id) - 10) WHERE user_id = ?",
            [probe["id"]],
        )
    )
    return {"probe": probe, "big": ids[0], "people": len(people), "groups": groups}


async def timed(work: Callable[[], Awaitable[Any]], repeat: int = REPEAT) -> dict[str, float]:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        await work()
        seconds.append(time.perf_counter() - started)
    return {"p50_ms": 1000 * (percentile(seconds, 50) or 0), "p99_ms": 1000 * (percentile(seconds, 99) or 0)}


async def measure_size(folder: Path, messages: int) -> dict[str, Any]:
    runtime = Runtime.open(Settings(folder, dev_code="000000", code_requests_per_hour=10**6), plugins=[])
    await runtime.start()
    try:
        started = time.perf_counter()
        world = await build(runtime, messages)
        built = time.perf_counter() - started
        probe, big, core = world["probe"], world["big"], runtime.core
        sender = Sender("user", probe["id"], probe["display_name"])
        last = core.db.execute("SELECT last_seq FROM conversations WHERE id = ?", [big]).fetchone()[0]
        sends = iter(range(10**9))
        signs = iter(range(10**6, 10**7))

        async def resume() -> None:
            after = max(0, last - 1000)
            while True:
                page = await core.read(
                    lambda db, after=after: conversations.history(
                        db, big, probe["id"], after=after, limit=500
                    )
                )
                if len(page) < 500:
                    return
                after = page[-1]["changed_seq"]

        figures = {
            "send": await timed(lambda: runtime.messenger.post(big, sender, f"timed {next(sends)}")),
            "history latest": await timed(
                lambda: core.read(lambda db: conversations.history(db, big, probe["id"]))
            ),
            "history middle": await timed(
                lambda: core.read(lambda db: conversations.history(db, big, probe["id"], before=last // 2))
            ),
            "resume 1000 missed": await timed(resume),
            "conversation list": await timed(
                lambda: core.read(lambda db: conversations.listing(db, probe["id"]))
            ),
            "sign-in": await timed(lambda: _sign_in(runtime, next(signs))),
        }
        size = (folder / "souk.db").stat().st_size
    finally:
        await runtime.stop()
    return {
        "messages": messages,
        "groups": world["groups"],
        "people": world["people"],
        "build_s": built,
        "db_mb": size / 2**20,
        "figures": figures,
        "load": os.getloadavg()[0],
    }


def table(results: list[dict[str, Any]]) -> str:
    base = results[0]["figures"]
    operations = list(base)
    head = (
        "| operation | "
        + " | ".join(f"{r['messages']:,} messages p50 / p99 ms (ratio)" for r in results)
        + " |"
    )
    lines = [head, "|---|" + "---|" * len(results)]
    for op in operations:
        cells = []
        for r in results:
            f = r["figures"][op]
            cells.append(f"{f['p50_ms']:.2f} / {f['p99_ms']:.2f} ({f['p50_ms'] / base[op]['p50_ms']:.2f})")
        lines.append(f"| {op} | " + " | ".join(cells) + " |")
    lines.append(
        "| database | "
        + " | ".join(
            f"{r['db_mb']:.0f} MB, built in {r['build_s']:.0f} s, load {r['load']:.1f}" for r in results
        )
        + " |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 k and 100 k messages only")
    parser.add_argument("--sizes", type=int, nargs="*", help="message counts to build and measure")
    options = parser.parse_args()
    sizes = options.sizes or (QUICK_SIZES if options.quick else FULL_SIZES)
    results = []
    for messages in sizes:
        with tempfile.TemporaryDirectory(prefix="souk-bench-data-") as folder:
            results.append(asyncio.run(measure_size(Path(folder), messages)))
        print(f"{messages:,} messages done (load {results[-1]['load']:.1f})", flush=True)
    print(table(results))


if __name__ == "__main__":
    main()
