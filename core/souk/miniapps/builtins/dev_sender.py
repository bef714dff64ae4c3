"""The development code sender: writes sign-in codes to the log.

It runs last (``trylast``), so an installed plugin that sends real SMS wins.
"""

from __future__ import annotations

import logging

from souk_sdk import hookimpl

log = logging.getLogger("souk.codes")


@hookimpl(trylast=True)
def souk_send_code(phone: str, code: str) -> bool:
    log.warning("sign-in code for %s: %s (development sender: no SMS is sent)", phone, code)
    return True
