"""Mini-apps attach their things to a business through ``ctx.business(handle)``: its id to keep,
its name to show and to pay, its staff by the mini-app's own ids for them, never who they are."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel
from souk_sdk import BusinessInfo, Context, Manifest, MiniApp


class Handle(BaseModel):
    handle: str


def rentals_app(seen: list[tuple[str, BusinessInfo | None]]) -> MiniApp:
    """A car rental mini-app: ``/agency HANDLE`` says which business rents the cars, and whether
    the caller works there."""
    app = MiniApp(Manifest(name="rentals", title="Rentals", version="1.0.0", sdk=">=1.3,<2"))

    @app.command("agency", help="Which business rents the cars", args=Handle, scopes=[])
    async def agency(ctx: Context, args: Handle) -> str:
        business = await ctx.business(args.handle)
        seen.append((ctx.user.id, business))
        if business is None:
            return f"No agency is called @{args.handle}"
        role = business.role_of(ctx.user.id)
        mark = "verified" if business.verified else "not verified"
        return f"{business.name} ({mark}): you are {role or 'a customer'}"

    @app.command("mine", help="The agencies I work for, and each found again by its id", scopes=[])
    async def mine(ctx: Context, args: BaseModel) -> str:
        found = await ctx.businesses()
        again = [await ctx.business(b.id) for b in found]
        assert again == found
        return ", ".join(f"{b.name} ({b.role_of(ctx.user.id)})" for b in found) or "none"

    return app


@pytest.fixture
def agency(souk_world):
    seen: list[tuple[str, BusinessInfo | None]] = []
    world = souk_world([rentals_app(seen)])
    owner, agent, customer = world.user("Dora", "BR"), world.user("Enzo", "BR"), world.user("Fia", "BR")
    owner.call(
        "POST", "/api/v1/businesses", {"name": "Rent a Car Rio", "handle": "rentrio", "category": "transport"}
    )
    owner.call("POST", "/api/v1/businesses/rentrio/staff", {"handle": agent.handle, "role": "agent"})
    return world, seen, owner, agent, customer


def test_a_mini_app_sees_the_business_and_its_staff_by_its_own_ids(agency) -> None:
    _, seen, owner, agent, customer = agency
    replies = [
        person.app_chat("rentals").send("/agency @RentRio").text for person in (owner, agent, customer)
    ]
    assert replies == [
        "Rent a Car Rio (not verified): you are owner",
        "Rent a Car Rio (not verified): you are agent",
        "Rent a Car Rio (not verified): you are a customer",
    ]
    (owner_id, first), (agent_id, second), (customer_id, third) = seen
    assert first == second == third and first is not None
    assert first.staff == {owner_id: "owner", agent_id: "agent"}
    assert first.is_admin(owner_id) and not first.is_admin(agent_id) and not first.is_staff(customer_id)
    business_id = owner.call("GET", "/api/v1/businesses/rentrio")["id"]
    assert (first.id, first.handle, first.country) == (business_id, "rentrio", "BR")
    # The mini-app's ids are pseudonyms: neither the people's core ids, phones nor handles.
    shown = first.model_dump_json()
    for person in (owner, agent):
        for secret in (person.profile["id"], person.profile["phone"], person.profile["handle"]):
            assert secret not in shown


def test_an_unknown_handle_is_none_and_a_verified_mark_shows(agency) -> None:
    world, seen, owner, _, _ = agency
    chat = owner.app_chat("rentals")
    assert chat.send("/agency nobody_here").text == "No agency is called @nobody_here"
    assert chat.send("/agency x").text == "No agency is called @x"
    ops = world.operator("ana", "operator", "BR")
    world.call("PUT", "/api/v1/admin/businesses/rentrio/verified", ops, {"verified": True})
    assert chat.send("/agency rentrio").text == "Rent a Car Rio (verified): you are owner"
    assert [business is None for _, business in seen] == [True, True, False]
    assert json.loads(seen[-1][1].model_dump_json())["verified"] is True


def test_the_businesses_a_user_works_for_and_each_found_by_its_id(agency) -> None:
    _, _, owner, agent, customer = agency
    owner.call(
        "POST", "/api/v1/businesses", {"name": "Alpha Cars", "handle": "alphacars", "category": "transport"}
    )
    assert owner.app_chat("rentals").send("/mine").text == "Alpha Cars (owner), Rent a Car Rio (owner)"
    assert agent.app_chat("rentals").send("/mine").text == "Rent a Car Rio (agent)"
    assert customer.app_chat("rentals").send("/mine").text == "none"
    owner.call("PATCH", "/api/v1/businesses/rentrio", {"handle": "rentrio2"})
    assert agent.app_chat("rentals").send("/mine").text == "Rent a Car Rio (agent)"


def test_a_handle_that_looks_like_an_id_still_names_its_business(agency) -> None:
    _, _, owner, _, _ = agency
    owner.call("POST", "/api/v1/businesses", {"name": "B Shop", "handle": "b_shop", "category": "shop"})
    assert owner.app_chat("rentals").send("/agency b_shop").text == "B Shop (not verified): you are owner"
