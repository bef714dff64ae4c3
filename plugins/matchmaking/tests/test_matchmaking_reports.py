"""Reports reach operators: `souk matchmaking reports` lists them by the name shown, `review` closes one."""

from __future__ import annotations

from e2e_support import run_cli
from matchmaking_support import MM, card_of, member


def test_operators_read_reports_by_the_name_shown_and_close_them(souk_world) -> None:
    world = souk_world(["matchmaking"])
    ana = member(world, "Ana Souza")
    bruno = member(world, "Bruno Lima", gender="man", seeks=["woman"])
    ana.call(
        "POST", f"{MM}/candidates/{card_of(bruno)}/report", {"reason": "scam", "note": "asked for a Pix"}
    )
    world.settle()
    data = str(world.core.runtime.settings.data_dir)
    listed = run_cli("matchmaking", "reports", "--data", data)
    (line,) = listed.stdout.splitlines()
    assert line.startswith("#1 ") and line.endswith(
        "BR Scam or asking for money, Bruno Lima (reported by Ana Souza): asked for a Pix"
    )
    for person in (ana, bruno):
        assert person.profile["phone"] not in listed.stdout and person.handle not in listed.stdout
    assert run_cli("matchmaking", "review", "1", "account suspended", "--data", data).returncode == 0
    assert run_cli("matchmaking", "reports", "--data", data).stdout == "No open reports.\n"
    assert (
        "[reviewed: account suspended]" in run_cli("matchmaking", "reports", "--all", "--data", data).stdout
    )
    again = run_cli("matchmaking", "review", "1", "twice", "--data", data)
    assert again.returncode == 1 and "there is no open report 1" in again.stderr


def test_a_report_also_reaches_souks_moderation_queue_for_an_operator_to_act_on(souk_world) -> None:
    world = souk_world(["matchmaking"])
    ana = member(world, "Ana Souza")
    bruno = member(world, "Bruno Lima", gender="man", seeks=["woman"])
    ana.call("POST", f"{MM}/candidates/{card_of(bruno)}/report", {"reason": "harassment", "note": " rude "})
    world.settle()
    owner = world.operator("owner", "owner", "*")
    (report,) = world.call("GET", "/api/v1/admin/reports", owner)["reports"]
    assert (report["app"], report["reason"], report["details"], report["country"]) == (
        "matchmaking",
        "Harassment or threats",
        "rude",
        "BR",
    )
    assert (report["subject"]["id"], report["reporter"]["id"]) == (bruno.profile["id"], ana.profile["id"])
    world.call(
        "POST", f"/api/v1/admin/reports/{report['id']}/decision", owner, {"decision": "suspend_in_app"}
    )
    refused = bruno.call("GET", f"{MM}/profile", expect=403)
    assert refused["error"]["code"] == "not_available_to_you"
