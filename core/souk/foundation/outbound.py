"""The outbound-HTTP guard: what the server fetches from elsewhere, it fetches only from the public internet.

A URL's host is resolved first, and every address it resolves to is checked: one
that is loopback, private, link-local (the cloud metadata service at 169.254.169.254),
shared, reserved or multicast refuses the URL before any connection is made.  The
request then goes to the checked address itself (the ``Host`` header and TLS's SNI
carry the name, and the certificate is verified against it), so a second DNS answer
cannot swap in another address between the check and the connection.  Redirects are
never followed (a ``3xx`` is a refusal: its target was never checked); the answer is
read up to a size limit, all of it within a time limit.

``allow`` names addresses (``"127.0.0.1:8123"``, or ``"10.0.0.7"`` for every port)
let through although they are not public: a test's own server, an image server on
the operator's network.  It is empty unless configured.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """The guard would not fetch this URL (or the answer was not one to keep); ``code`` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class OutboundRules:
    allow: tuple[str, ...] = ()
    timeout: float = 5.0
    max_bytes: int = 5 * 1024 * 1024

    def permits(self, address: IPAddress, port: int) -> bool:
        plain = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
        address = plain or address
        if address.is_global and not address.is_multicast:
            return True
        return any(_allows(entry, address, port) for entry in self.allow)


def _allows(entry: str, address: IPAddress, port: int) -> bool:
    if entry.startswith("["):  # [::1]:8123
        host, _, rest = entry[1:].partition("]")
        entry_port = rest.removeprefix(":")
    elif entry.count(":") == 1:  # 127.0.0.1:8123
        host, _, entry_port = entry.partition(":")
    else:  # 10.0.0.7, ::1
        host, entry_port = entry, ""
    try:
        allowed = ipaddress.ip_address(host)
    except ValueError:
        return False
    return allowed == address and (not entry_port or int(entry_port) == port)


async def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused("unresolvable", f"{host} does not resolve") from None
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))


async def checked_address(url: httpx.URL, rules: OutboundRules) -> IPAddress:
    """The address to connect to for ``url``; :class:`Refused` if any address of its host is not allowed."""
    if url.scheme not in ("http", "https") or not url.host or url.userinfo:
        raise Refused("bad_url", "only http(s) URLs without credentials are fetched")
    port = url.port or (443 if url.scheme == "https" else 80)
    addresses = await _resolve(url.host, port)
    refused = [a for a in addresses if not rules.permits(a, port)]
    if refused or not addresses:
        raise Refused(
            "address_not_allowed", f"{url.host} is at {refused[0] if refused else 'nowhere'}: not public"
        )
    return addresses[0]


async def fetch(url: str, rules: OutboundRules) -> tuple[str, bytes]:
    """GET ``url`` through the guard; (its content type, its body)."""
    try:
        target = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        raise Refused("bad_url", "not a URL") from None
    try:
        async with asyncio.timeout(rules.timeout):
            address = await checked_address(target, rules)
            return await _get(target, address, rules)
    except TimeoutError:
        raise Refused("timeout", f"no full answer within {rules.timeout:g} seconds") from None
    except httpx.HTTPError as exc:
        raise Refused("unreachable", f"could not fetch it: {type(exc).__name__}") from None


async def _get(target: httpx.URL, address: IPAddress, rules: OutboundRules) -> tuple[str, bytes]:
    host = f"[{address}]" if address.version == 6 else str(address)
    direct = target.copy_with(host=host)
    headers = {"Host": target.netloc.decode("ascii"), "Accept": "image/*"}
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    async with httpx.AsyncClient(follow_redirects=False, trust_env=False, timeout=rules.timeout) as client:
        request = client.build_request("GET", direct, headers=headers, extensions=extensions)
        response = await client.send(request, stream=True)
        try:
            if response.is_redirect:
                raise Refused(
                    "redirect", f"it redirects ({response.status_code}); redirects are not followed"
                )
            if response.status_code != 200:
                raise Refused("status", f"it answered {response.status_code}")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if len(body) > rules.max_bytes:
                    raise Refused("too_large", f"it is larger than {rules.max_bytes:,} bytes")
            return response.headers.get("content-type", ""), bytes(body)
        finally:
            await response.aclose()
