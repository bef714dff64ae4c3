"""Two mini-apps for the tests of several workers delivering one outbox.

``probe`` sets timers for itself and emits ``probe.note`` events; ``probe_sink``
subscribes to them.  Every handler call writes a ``begin`` line, waits a little
(the time a worker may be killed in), and an ``end`` line to the file named by
``SOUK_PROBE_LOG``, each with the event's id and the worker's process id: the
test counts the calls from there.
"""

from __future__ import annotations

import asyncio
import os

from souk_sdk import Context, Event, Manifest, MiniApp

HANDLER_SECONDS = 0.02


def _line(what: str, event: Event) -> None:
    with open(os.environ["SOUK_PROBE_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{what} {event.id} {os.getpid()}\n")


async def _handle(event: Event) -> None:
    _line("begin", event)
    await asyncio.sleep(HANDLER_SECONDS)
    _line("end", event)


probe = MiniApp(
    Manifest(
        name="probe",
        title="Probe",
        version="0.1.0",
        description="Timers and events for the tests",
        countries=["*"],
        scopes=[],
        emits=["probe.note"],
        sdk=">=1.1,<2",
    )
)
sink = MiniApp(
    Manifest(
        name="probe_sink",
        title="Probe sink",
        version="0.1.0",
        description="Receives the probe's events",
        countries=["*"],
        scopes=[],
        sdk=">=1.1,<2",
    )
)


@probe.on_timer("probe.tick")
async def on_tick(ctx: Context, event: Event) -> None:
    await _handle(event)


@sink.on("probe.note", source="probe")
async def on_note(ctx: Context, event: Event) -> None:
    await _handle(event)
