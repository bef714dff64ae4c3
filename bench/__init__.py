"""Souk's benchmark suite: each scenario beside a bare baseline, in the same run (see README.md)."""
