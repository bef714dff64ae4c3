"""Souk payments: a double-entry ledger behind wallets, chat transfers and checkout."""
