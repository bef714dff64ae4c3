"""Health per mini-app and country, as JSON, and /metrics as Prometheus reads it: both count what was done."""

from __future__ import annotations

import datetime as dt

from miniapps import Echo, Faulty
from prometheus_client.parser import text_string_to_metric_families
from souk.operators.metrics import new_metrics_token

OK_BR, OK_IN, FAILED_BR = 7, 3, 2


def _metrics(world, token: str | None) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    status, body = world.core.request_bytes("GET", "/metrics", token)
    return status, body.decode()


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_health_and_metrics_count_the_requests_made(souk_world) -> None:
    world = souk_world([Echo(), Faulty("boom", "raise")], breaker_threshold=50)
    ana, ravi, bia = world.user("Ana", "BR"), world.user("Ravi", "IN"), world.user("Bia", "BR")
    ana_chat, ravi_chat, bia_chat = (u.group_chat("alone", []) for u in (ana, ravi, bia))
    for i in range(OK_BR):
        assert ana_chat.send(f"/echo hi {i}").text == f"echo: hi {i}"
    for i in range(OK_IN):
        assert ravi_chat.send(f"/echo hi {i}").text == f"echo: hi {i}"
    for _ in range(FAILED_BR):
        assert "could not answer" in bia_chat.send("/boom").text
    token = world.operator("vera", "viewer", "*")

    rows = {(r["app"], r["country"]): r for r in world.call("GET", "/api/v1/admin/health", token)["rows"]}
    echo_br, echo_in, boom_br = rows["echo", "BR"], rows["echo", "IN"], rows["boom", "BR"]
    assert echo_br["windows"]["5m"]["requests"] == echo_br["windows"]["60m"]["requests"] == OK_BR
    assert echo_in["windows"]["5m"]["requests"] == OK_IN
    assert (boom_br["windows"]["5m"]["failures"], boom_br["windows"]["5m"]["error_rate"]) == (FAILED_BR, 1.0)
    assert echo_br["windows"]["5m"]["error_rate"] == 0.0
    figures = echo_br["windows"]["5m"]
    assert 0 < figures["p50_ms"] <= figures["p99_ms"]
    assert boom_br["state"] == "running" and boom_br["breaker"]["failures"] == FAILED_BR

    # Ten minutes on, the 5-minute window is empty while the hour still has them.
    world.advance(dt.timedelta(minutes=10))
    rows = {(r["app"], r["country"]): r for r in world.call("GET", "/api/v1/admin/health", token)["rows"]}
    assert rows["echo", "BR"]["windows"]["5m"]["requests"] == 0
    assert rows["echo", "BR"]["windows"]["60m"]["requests"] == OK_BR
    assert rows["echo", "BR"]["windows"]["5m"]["p50_ms"] is None

    # /metrics: refused without its own token (an operator's is not it), then parsed.
    assert _metrics(world, None)[0] == 401
    assert _metrics(world, token)[0] == 401
    scrape = new_metrics_token(world.core.runtime.core, world.core.clock, "test")
    status, text = _metrics(world, scrape)
    assert status == 200
    samples = _samples(text)

    def requests(app: str, country: str, outcome: str) -> float:
        key = ("souk_miniapp_requests_total", (("app", app), ("country", country), ("outcome", outcome)))
        return samples.get(key, 0.0)

    assert requests("echo", "BR", "ok") == OK_BR
    assert requests("echo", "IN", "ok") == OK_IN
    assert requests("boom", "BR", "failed") == FAILED_BR
    assert requests("echo", "BR", "failed") == 0
    assert samples["souk_miniapp_request_duration_seconds_count", (("app", "echo"),)] == OK_BR + OK_IN
    assert samples["souk_miniapp_state", (("app", "boom"), ("state", "running"))] == 1.0
    assert samples["souk_miniapp_rollout_percent", (("app", "echo"), ("country", "BR"))] == 100.0

    world.core.operations.set_suspended("boom", True, "looking at it", "test")
    samples = _samples(_metrics(world, scrape)[1])
    assert samples["souk_miniapp_state", (("app", "boom"), ("state", "killed"))] == 1.0
    assert samples["souk_miniapp_state", (("app", "boom"), ("state", "running"))] == 0.0
