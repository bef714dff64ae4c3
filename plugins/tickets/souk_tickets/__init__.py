"""Souk tickets: events, seats, holds, signed tickets and check-in at the door."""
