"""Run ``souk serve --demo`` for the browser tests, as the README's first command does: every
installed mini-app, the demo world, and the server's own rate limits (five codes an hour per
number), which the demo tests show are never in the way of switching people.

    python demo_server.py DATA_DIR PORT
"""

from __future__ import annotations

import sys

from souk.cli import main

if __name__ == "__main__":
    data_dir, port = sys.argv[1:3]
    main(["serve", "--demo", "--data", data_dir, "--port", port, "--log-level", "warning"])
