"""The modules that hold Souk's invariants, and the fast tests that guard each.

A target names the source files to mutate, the functions in them that hold the
invariant (an empty tuple: every function), and the tests to run against each
mutant.  The tests are the few that exercise the invariant directly, not every
test that happens to touch the module: a mutant costs one run of them, and the
whole list has to fit in about a quarter of an hour on a two-core machine.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    name: str
    sources: tuple[str, ...]
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ()
    why: str = ""


PAYMENTS = "plugins/payments"
SHOP = "plugins/shop"
TICKETS = "plugins/tickets"
RESUME = "tests/test_e2e_ws_resume.py"

TARGETS: tuple[Target, ...] = (
    Target(
        "ledger",
        (f"{PAYMENTS}/souk_payments/ledger.py",),
        (f"{PAYMENTS}/tests/test_ledger_refusals.py",),
        ("post", "hold", "_close", "capture"),
        "balanced transfers, no overdraft, a hold closes once",
    ),
    Target(
        "checker",
        (f"{PAYMENTS}/souk_payments/check.py",),
        (f"{PAYMENTS}/tests/test_ledger_checker.py",),
        (),
        "souk payments check reports each kind of corruption",
    ),
    Target(
        "idempotency",
        (f"{PAYMENTS}/souk_payments/idempotency.py",),
        (f"{PAYMENTS}/tests/test_idempotency_once.py", f"{PAYMENTS}/tests/test_idempotency_keys.py"),
        (),
        "the same key answers the first result; another request under it is refused",
    ),
    Target(
        "reservations",
        (f"{SHOP}/souk_shop/orders.py",),
        (
            f"{SHOP}/tests/test_checkout_bounds.py",
            f"{SHOP}/tests/test_checkout_keys.py::test_a_checkout_key_with_another_request_is_refused[delivery-3]",
            f"{SHOP}/tests/test_reservations.py",
        ),
        ("reserve",),
        "stock is never sold twice; a released order gives its stock back once",
    ),
    Target(
        "seat-holds",
        (f"{TICKETS}/souk_tickets/holding.py",),
        (
            f"{TICKETS}/tests/test_hold_limits.py",
            f"{TICKETS}/tests/test_holds_expire.py",
            f"{TICKETS}/tests/test_bad_input.py::test_holds_that_cannot_be_are_refused_and_nothing_is_held",
            f"{TICKETS}/tests/test_general_admission.py",
            f"{TICKETS}/tests/test_tickets_data_rights.py::test_erasure_keeps_the_organisers_accounts_without_the_user",
        ),
        ("hold_seats", "release", "expire", "_take_again"),
        "a seat is held by one booking at a time; an expired hold frees it once",
    ),
    Target(
        "resume",
        ("core/souk/api/ws.py",),
        (
            f"{RESUME}::test_a_message_both_replayed_and_live_reaches_the_resuming_client_once",
            f"{RESUME}::test_resume_after_everything_was_sent_replays_only_the_missing_tail",
            f"{RESUME}::test_dropped_client_resumes_without_gap_or_duplicate",
        ),
        ("_resume", "_pump"),
        "a resumed WebSocket gets every message once: no gap, no duplicate",
    ),
    Target(
        "group-commit",
        ("core/souk/storage/store.py",),
        ("core/tests/test_store_group_commit.py",),
        ("_commit_group", "_settle"),
        "a group commit answers each writer with its own result or error, after the commit",
    ),
    Target(
        "consent-identities",
        ("core/souk/people/consent.py", "core/souk/people/identities.py"),
        ("core/tests/test_privacy_and_consent.py",),
        (),
        "a mini-app sees only the scopes granted, under a pseudonym of its own",
    ),
    Target(
        "availability",
        ("core/souk/miniapps/availability.py",),
        ("core/tests/test_availability.py", "core/tests/test_rollout.py"),
        ("in_rollout", "enabled_in", "live_in", "live_for", "percent"),
        "a mini-app answers only where it is enabled, rolled out and not suspended",
    ),
    Target(
        "dispatch",
        ("core/souk/miniapps/dispatch.py",),
        ("core/tests/test_actions.py",),
        ("needed_scopes", "_answer_consent"),
        "a press runs only with consent, once per press",
    ),
    Target(
        "ticket-signatures",
        (f"{TICKETS}/souk_tickets/signing.py", f"{TICKETS}/souk_tickets/codes.py"),
        (f"{TICKETS}/tests/test_code_lengths.py", f"{TICKETS}/tests/test_checkin.py"),
        ("sign", "verify"),
        "a ticket code is accepted only with a valid signature of this server",
    ),
)
