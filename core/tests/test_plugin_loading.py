"""Loading fails loudly, naming the culprit: duplicate commands, unknown hooks, bad manifests."""

from __future__ import annotations

import re
from typing import Any

import pytest
import souk_sdk
from miniapps import App, BadManifest, Echo, Misspelt
from souk.miniapps.registry import PluginError, load
from souk_sdk import hookimpl


def test_the_builtins_and_given_plugins_load() -> None:
    registry = load([Echo(), Echo("echo2")])
    assert {"help", "echo", "echo2"} <= set(registry.apps)
    assert registry.apps["help"].builtin and not registry.apps["echo"].builtin
    assert registry.commands["echo2"][0].name == "echo2"


def test_two_mini_apps_claiming_one_command_name_name_both() -> None:
    first, second = Echo("echo"), Echo("echo")
    second.name = "parrot"
    with pytest.raises(PluginError) as caught:
        load([first, second])
    message = str(caught.value)
    assert "/echo" in message and "'echo'" in message and "'parrot'" in message


def test_a_mini_app_cannot_take_a_builtin_command() -> None:
    impostor = Echo("help")
    impostor.name = "helpful"
    with pytest.raises(PluginError, match=r"/help.*'help'.*'helpful'"):
        load([impostor])


def test_a_misspelt_hook_name_is_refused() -> None:
    with pytest.raises(PluginError, match="souk_comands"):
        load([Misspelt("typo")])


class WrongArgument(App):
    @hookimpl
    def souk_commands(self, registr: Any) -> None:  # the typo is in the argument
        pass


def test_a_misspelt_hook_argument_is_refused() -> None:
    with pytest.raises(PluginError, match="registr"):
        load([WrongArgument("typo")])


def test_an_invalid_manifest_is_refused() -> None:
    with pytest.raises(PluginError, match="invalid manifest"):
        load([BadManifest("bad")])


class DictManifest(App):
    @hookimpl
    def souk_manifest(self) -> Any:
        return {"name": "dicty", "title": "Dicty", "version": "not a version"}


def test_a_manifest_given_as_a_dict_is_validated() -> None:
    with pytest.raises(PluginError, match="invalid manifest"):
        load([DictManifest("dicty")])


class NoManifest:
    @hookimpl
    def souk_commands(self, register: Any) -> None:
        pass


def test_hooks_without_a_manifest_are_refused() -> None:
    with pytest.raises(PluginError, match="no souk_manifest"):
        load([NoManifest()])


def test_a_manifest_whose_sdk_range_excludes_the_running_sdk_is_refused() -> None:
    running = re.escape(souk_sdk.__version__)
    with pytest.raises(PluginError, match=rf"'future'.*>=2.*{running}"):
        load([App("future", sdk=">=2")])
    with pytest.raises(PluginError, match=rf"'old'.*<1\.1.*{running}"):
        load([App("old", sdk=">=0.5,<1.1")])
    assert "current" in load([App("current", sdk=">=1,<2")]).apps


def test_two_plugins_with_one_name_are_refused() -> None:
    with pytest.raises(PluginError, match="'twin'"):
        load([App("twin"), App("twin")])


def test_registering_something_that_is_not_a_command_is_refused() -> None:
    class Sloppy(App):
        @hookimpl
        def souk_commands(self, register: Any) -> None:
            register(lambda ctx, args: "hi")

    with pytest.raises(PluginError, match=r"not a souk_sdk\.Command"):
        load([Sloppy("sloppy")])


def _installed_names() -> list[str]:
    from importlib.metadata import entry_points

    return sorted(ep.name for ep in entry_points(group="souk.plugins"))


def test_an_unknown_plugin_name_is_refused_naming_it_and_what_is_installed() -> None:
    installed = _installed_names()
    assert len(installed) >= 1  # the workspace installs its plugins
    with pytest.raises(PluginError) as caught:
        load([installed[0], "nope", Echo(), "nada"])
    message = str(caught.value)
    assert message == f"no installed mini-app is called 'nope', 'nada'; installed: {', '.join(installed)}"
    assert message.count("'nope'") == 1 and message.count("'nada'") == 1


def test_enabling_an_unknown_mini_app_answers_404_naming_it_and_what_is_installed(souk_world) -> None:
    from souk.foundation.errors import NotFound

    world = souk_world([Echo(), Echo("parrot")])
    owner = world.operator()
    refused = world.call("PUT", "/api/v1/admin/apps/nope/countries/BR", owner, expect=404)
    assert refused["error"]["code"] == "app_not_found"
    # The built-ins are always on, so only what an operator can enable is listed.
    assert refused["error"]["message"] == "no mini-app called 'nope' is installed; installed: echo, parrot"
    with pytest.raises(NotFound) as caught:
        world.core.enable("nope", "BR")
    assert caught.value.message == refused["error"]["message"]
    enabled = world.call("GET", "/api/v1/admin/apps", owner)["apps"]
    assert sorted(a["name"] for a in enabled if a["name"] in {"echo", "parrot", "nope"}) == ["echo", "parrot"]
