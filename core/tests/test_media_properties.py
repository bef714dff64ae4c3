"""Properties of what is kept and of the outbound guard, over generated inputs."""

from __future__ import annotations

import io
import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from media_samples import GPS_MARK, photo_with_gps, png
from PIL import Image
from souk.chat.media_types import safe_name, sanitise
from souk.foundation.errors import Invalid
from souk.foundation.outbound import OutboundRules


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=4096))
def test_any_bytes_are_kept_as_a_known_type_or_refused_with_a_code(data: bytes) -> None:
    try:
        kept = sanitise(data)
    except Invalid as exc:
        assert exc.code in {"empty_file", "unsupported_type", "invalid_image", "image_too_large"}
        return
    assert kept.content_type in {"application/pdf", "application/zip", "text/plain; charset=utf-8"} or (
        kept.kind == "image"
    )
    if kept.kind == "file" and kept.content_type.startswith("text/"):
        assert b"<" not in data.lstrip()[:1]


@settings(max_examples=60, deadline=None)
@given(tail=st.binary(min_size=1, max_size=2048), picture=st.sampled_from(["jpeg", "png"]))
def test_whatever_follows_a_picture_is_never_kept(tail: bytes, picture: str) -> None:
    original = photo_with_gps((60, 40)) if picture == "jpeg" else png((60, 40))
    try:
        kept = sanitise(original + tail)
    except Invalid:
        return  # the tail made it unreadable: refused, fine
    assert kept.kind == "image"
    assert GPS_MARK not in kept.data and not Image.open(io.BytesIO(kept.data)).getexif()
    if len(tail) >= 16:
        assert tail not in kept.data


@given(name=st.text(max_size=300))
def test_a_kept_name_is_one_plain_part_with_the_true_extension(name: str) -> None:
    kept = sanitise(png())
    shown = safe_name(name, kept)
    assert shown.endswith(".png") and "/" not in shown and "\\" not in shown
    assert not any(ord(c) < 32 for c in shown) and len(shown) <= 84 and not shown.startswith(".")


PUBLIC = ["93.184.215.14", "8.8.8.8", "2606:4700::6810:84e5"]
NOT_PUBLIC = [
    "127.0.0.1",
    "127.9.9.9",
    "10.0.0.1",
    "172.16.0.5",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "fe80::1",
    "fc00::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::",
]


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert OutboundRules().permits(ipaddress.ip_address(address), 443)


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_loopback_private_link_local_and_reserved_addresses_do_not(address: str) -> None:
    assert not OutboundRules().permits(ipaddress.ip_address(address), 80)


def test_the_allow_list_names_an_address_and_optionally_its_port() -> None:
    rules = OutboundRules(allow=("127.0.0.1:8123", "10.0.0.7", "[::1]:9000"))
    allowed = [("127.0.0.1", 8123), ("10.0.0.7", 80), ("10.0.0.7", 8080), ("::1", 9000)]
    refused = [("127.0.0.1", 8124), ("10.0.0.8", 80), ("::1", 9001), ("169.254.169.254", 80)]
    assert all(rules.permits(ipaddress.ip_address(a), p) for a, p in allowed)
    assert not any(rules.permits(ipaddress.ip_address(a), p) for a, p in refused)
