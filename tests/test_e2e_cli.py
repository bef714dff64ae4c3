"""The ``souk`` CLI works on the data folder of a running server, and refuses what it cannot do clearly."""

from __future__ import annotations

from click.testing import CliRunner
from e2e_support import ServerProcess, create_group, history, run_cli, sign_in
from souk.cli import main


def _assert_clean_failure(result, *expected: str) -> None:  # type: ignore[no-untyped-def]
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    for text in expected:
        assert text in output, output


def _in_process(*args: str) -> tuple[int, str]:
    """The same command line, run in this process (quicker than a child for the extra cases)."""
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_plugins_list_reads_the_live_servers_data_folder(server: ServerProcess) -> None:
    result = run_cli("plugins", "list", "--data", str(server.data_dir))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["NAME", "VERSION", "STATE"]
    help_row = next(line for line in lines[1:] if line.split()[0] == "help")
    assert "running" in help_row.split()


def test_builtin_help_cannot_be_enabled_or_disabled(server: ServerProcess) -> None:
    data = str(server.data_dir)
    _assert_clean_failure(run_cli("plugins", "enable", "help", "--country", "BR", "--data", data), "built in")
    for args, expected in [
        (["plugins", "disable", "help"], "built in"),
        (["plugins", "disable", "help", "--country", "IN"], "built in"),
        (["plugins", "suspend", "help", "--reason", "test"], "built in"),
        (["plugins", "resume", "help"], "built in"),
        (["plugins", "enable", "no-such-app", "--country", "BR"], "no-such-app"),
        (["plugins", "enable", "help"], "--country"),
    ]:
        code, output = _in_process(*args, "--data", data)
        assert code != 0, (args, output)
        assert "Traceback" not in output
        assert expected in output, (args, output)

    # The refused changes left no trace in the audit log, and the server still works, with /help on.
    code, output = _in_process("audit", "--data", data)
    assert code == 0, output
    assert "help" not in output
    ana = sign_in(server, "Cli Ana")
    bia = sign_in(server, "Cli Bia")
    with server.client(ana.token) as http:
        commands = http.get("/api/v1/commands")
        assert commands.status_code == 200
        assert "help" in {c["name"] for c in commands.json()["commands"]}
        apps = http.get("/api/v1/apps").json()["apps"]
        assert "help" in {a["name"] for a in apps}
    group = create_group(server, ana, [bia])
    with server.client(ana.token) as http:
        sent = http.post(
            f"/api/v1/conversations/{group['id']}/messages", json={"client_id": "c", "text": "hi"}
        )
        assert sent.status_code == 201
    assert [m["text"] for m in history(server, bia, group["id"])] == ["Cli Ana created the group “t”", "hi"]
