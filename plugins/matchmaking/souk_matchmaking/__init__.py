"""Souk matchmaking: profiles, candidates, likes and matches, safe and private by design."""
