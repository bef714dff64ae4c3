"""``souk payments check``: every invariant of the ledger, verified from the entries up."""

from __future__ import annotations

from sqlite_utils import Database


def problems(db: Database) -> list[str]:
    """What is wrong with the ledger; an empty list when it is clean."""
    found: list[str] = []

    def each(sql: str, describe) -> None:  # type: ignore[no-untyped-def]
        found.extend(describe(row) for row in db.execute(sql).fetchall())

    each(
        "SELECT currency, SUM(e.amount) FROM entries e JOIN accounts a ON a.id = e.account_id "
        "GROUP BY currency HAVING SUM(e.amount) != 0",
        lambda r: f"{r[0]}: entries add up to {r[1]}, not 0 (money created or lost)",
    )
    each(
        "SELECT t.id, SUM(e.amount), COUNT(e.id) FROM transfers t LEFT JOIN entries e "
        "ON e.transfer_id = t.id GROUP BY t.id HAVING COALESCE(SUM(e.amount), 1) != 0 OR COUNT(e.id) < 2",
        lambda r: f"transfer {r[0]} is unbalanced: {r[1]} over {r[2]} entries",
    )
    each(
        "SELECT t.id FROM transfers t JOIN entries e ON e.transfer_id = t.id "
        "JOIN accounts a ON a.id = e.account_id GROUP BY t.id HAVING COUNT(DISTINCT a.currency) > 1 "
        "OR MAX(a.currency) != MAX(t.currency)",
        lambda r: f"transfer {r[0]} mixes currencies",
    )
    each(
        "SELECT a.id, a.balance, COALESCE(SUM(e.amount), 0) FROM accounts a LEFT JOIN entries e "
        "ON e.account_id = a.id GROUP BY a.id HAVING a.balance != COALESCE(SUM(e.amount), 0)",
        lambda r: f"account {r[0]} says {r[1]} but its entries add up to {r[2]}",
    )
    each(
        "SELECT a.id, a.held, COALESCE((SELECT SUM(amount) FROM holds h WHERE h.account_id = a.id "
        "AND h.status = 'open'), 0) AS open_holds FROM accounts a WHERE a.held != open_holds",
        lambda r: f"account {r[0]} holds {r[1]} but its open holds add up to {r[2]}",
    )
    each(
        "SELECT id, balance - held FROM accounts WHERE kind != 'system' AND balance - held < 0",
        lambda r: f"account {r[0]} has a negative available balance {r[1]}",
    )
    each(
        "SELECT id FROM accounts WHERE kind = 'system' AND balance > 0",
        lambda r: f"system account {r[0]} holds money it never received",
    )
    each(
        "SELECT p.id, p.refunded, COALESCE(SUM(r.amount), 0), p.captured FROM payments p "
        "LEFT JOIN refunds r ON r.payment_id = p.id GROUP BY p.id "
        "HAVING p.refunded != COALESCE(SUM(r.amount), 0) OR p.refunded > p.captured",
        lambda r: f"payment {r[0]}: refunded {r[1]}, refunds add up to {r[2]}, captured {r[3]}",
    )
    each(
        "SELECT id FROM payments WHERE status = 'succeeded' AND captured != amount",
        lambda r: f"payment {r[0]} succeeded without capturing its amount",
    )
    each(
        "SELECT p.id, p.amount, COALESCE(SUM(s.amount), 0), p.returned FROM red_packets p "
        "LEFT JOIN red_packet_shares s ON s.packet_id = p.id AND s.opener IS NOT NULL GROUP BY p.id "
        "HAVING COALESCE(SUM(s.amount), 0) + p.returned > p.amount "
        "OR (p.status != 'open' AND COALESCE(SUM(s.amount), 0) + p.returned != p.amount)",
        lambda r: f"red packet {r[0]} of {r[1]}: opened {r[2]} and returned {r[3]}",
    )
    each(
        "SELECT a.currency, a.balance, COALESCE((SELECT SUM(s.amount) FROM red_packet_shares s "
        "JOIN red_packets p ON p.id = s.packet_id WHERE p.currency = a.currency AND p.status = 'open' "
        "AND s.opener IS NULL), 0) AS unopened FROM accounts a "
        "WHERE a.kind = 'merchant' AND a.owner = 'red-packets' AND a.balance != unopened",
        lambda r: f"red packet escrow in {r[0]} holds {r[1]} but the unopened shares add up to {r[2]}",
    )
    return found


def summary(db: Database) -> str:
    counts = {t: db[t].count for t in ("accounts", "transfers", "entries", "holds", "payments")}
    return ", ".join(f"{n} {t}" for t, n in counts.items())
