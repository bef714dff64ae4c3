"""One valid call of each of the inbox's operations, for the happy-path test of the document
(tests/test_happy_paths.py): a business's owner writes to their own business, then
serves that chat from the inbox, sets the inbox up, and rates the chat once resolved."""

from __future__ import annotations

from typing import Any

BUSINESS = "/api/v1/businesses/{handle}"
THREAD = BUSINESS + "/inbox/{conversation_id}"


def inbox_calls(call: Any, owner: str, handle: str, conversation_id: str) -> None:
    real = f"/api/v1/businesses/{handle}"
    thread = f"{real}/inbox/{conversation_id}"
    message = {"client_id": "inbox-probe-1", "text": "Oi, entrega hoje?"}
    call("GET", BUSINESS + "/inbox-settings", real + "/inbox-settings", owner)
    call("PATCH", BUSINESS + "/inbox-settings", real + "/inbox-settings", owner, {"greeting": "Olá!"})
    rule = call(
        "POST", BUSINESS + "/rules", real + "/rules", owner, {"keywords": ["entrega"], "label": "entrega"}
    )
    call(
        "PUT",
        BUSINESS + "/quick-replies/{name}",
        real + "/quick-replies/oi",
        owner,
        {"text": "Oi {customer.first_name}"},
    )
    call(
        "POST",
        "/api/v1/conversations/{conversation_id}/messages",
        f"/api/v1/conversations/{conversation_id}/messages",
        owner,
        message,
    )
    call("GET", BUSINESS + "/inbox", real + "/inbox?state=all", owner)
    call("GET", THREAD, thread, owner)
    call("GET", THREAD + "/messages", thread + "/messages", owner)
    call("GET", THREAD + "/quick-replies", thread + "/quick-replies", owner)
    call("POST", THREAD + "/messages", thread + "/messages", owner, {"text": "Sim!", "client_id": "r1"})
    call("POST", THREAD + "/notes", thread + "/notes", owner, {"text": "nota"})
    call("PUT", THREAD + "/labels", thread + "/labels", owner, {"labels": ["vip"]})
    call("PUT", THREAD + "/assignee", thread + "/assignee", owner, {"user_id": None})
    call("PUT", THREAD + "/state", thread + "/state", owner, {"state": "resolved"})
    rating = "/api/v1/conversations/{conversation_id}/rating"
    call("GET", rating, f"/api/v1/conversations/{conversation_id}/rating", owner)
    call(
        "POST",
        rating,
        f"/api/v1/conversations/{conversation_id}/rating",
        owner,
        {"stars": 5, "comment": "ok"},
    )
    call("GET", BUSINESS + "/inbox-stats", real + "/inbox-stats?days=3", owner)
    call("GET", BUSINESS + "/quick-replies", real + "/quick-replies", owner)
    call("DELETE", BUSINESS + "/quick-replies/{name}", real + "/quick-replies/oi", owner)
    call("GET", BUSINESS + "/rules", real + "/rules", owner)
    call("DELETE", BUSINESS + "/rules/{rule_id}", f"{real}/rules/{rule['id']}", owner)
