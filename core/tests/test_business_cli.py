"""``souk business``: operators list businesses and verify one from the shell, audited like the API."""

from __future__ import annotations

from click.testing import CliRunner
from souk.cli import main


def test_an_operator_lists_and_verifies_businesses_from_the_cli(souk_world) -> None:
    world = souk_world([])
    bruna = world.user("Bruna", "BR")
    bruna.call(
        "POST", "/api/v1/businesses", {"name": "Loja da Bruna", "handle": "lojadabruna", "category": "shop"}
    )
    data = str(world.core.runtime.settings.data_dir)
    runner = CliRunner()

    listed = runner.invoke(main, ["business", "list", "--data", data])
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines()[1].split() == ["@lojadabruna", "Loja", "da", "Bruna", "BR", "no", "1"]

    verified = runner.invoke(main, ["business", "verify", "@LojaDaBruna", "--data", data])
    assert (verified.exit_code, verified.output) == (0, "@lojadabruna is verified\n")
    again = runner.invoke(main, ["business", "verify", "lojadabruna", "--data", data])
    assert again.output == "@lojadabruna is verified (it already was)\n"
    assert world.call("GET", "/api/v1/businesses/lojadabruna")["verified"] is True
    audit = runner.invoke(main, ["audit", "--action", "verify_business", "--data", data])
    assert audit.output.count("verify_business") == 1 and "@lojadabruna (Loja da Bruna)" in audit.output

    missing = runner.invoke(main, ["business", "verify", "nobody_here", "--data", data])
    assert missing.exit_code == 1 and "no business has this handle" in missing.output
