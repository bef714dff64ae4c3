"""The one switch between the heavy tests' reduced counts and their full ones.

By default the stress cases (kill loops, racing crowds, thousands of generated
examples) run at counts that keep the suite to minutes on 2 cores and still
catch what they are for; ``SOUK_STRESS=1`` runs the full counts.
"""

from __future__ import annotations

import os

STRESS = os.environ.get("SOUK_STRESS") == "1"


def count(reduced: int, full: int) -> int:
    """``full`` under ``SOUK_STRESS=1``, else ``reduced``."""
    return full if STRESS else reduced
