"""A device's name as a person recognises it in their list of sessions ("Chrome on Android").

Read from the User-Agent that signed in; nothing else of it is kept.  A client that says
nothing recognisable is named by the first word it sent, or "Unknown device".
"""

from __future__ import annotations

import re

BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)
FIRST_WORD = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,31}")


def device_name(user_agent: str | None) -> str:
    agent = (user_agent or "")[:400]
    browser = next((name for marker, name in BROWSERS if marker in agent), None)
    system = next((name for marker, name in SYSTEMS if marker in agent), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or system or ""
    word = FIRST_WORD.search(agent)
    return word.group(0) if word else "Unknown device"
