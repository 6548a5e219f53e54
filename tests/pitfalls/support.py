"""Helpers shared by the pitfalls' tests: answers that make one pitfall the worst, the
self-check driven by its buttons, PNG checks."""

from __future__ import annotations

import struct
import zlib

from core.actor import Actor
from core.pitfalls import funding, selfcheck
from core.pitfalls.content import Content, load_content
from core.reply import Reply
from core.router import press_button, run_command
from core.services import Services

SELFCHECK = selfcheck.ACTIONS
FUNDING = funding.ACTIONS
START = "selfcheck:start"  # the public data the questions feature links to
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MIN_BYTES, MAX_BYTES = 5_000, 500_000


def answer(index: int, value: int) -> str:
    """The data of the scale button `value` under statement `index`."""
    return SELFCHECK.data("answer", index, value)


def answers_making_worst(content: Content, weak: str) -> dict[str, int]:
    """Healthy answers everywhere except for the pitfall `weak`, answered unhealthily."""
    answers = {}
    for statement in content.statements:
        healthy = statement.pitfall != weak
        answers[statement.id] = 5 if statement.agree_is_good == healthy else 1
    return answers


def values_for(weak: str) -> list[int]:
    """The answers in statement order that make `weak` the worst pitfall."""
    content = load_content()
    answers = answers_making_worst(content, weak)
    return [answers[s.id] for s in content.statements]


def answer_all(services: Services, who: Actor, values: list[int]) -> Reply:
    """Start the self-check and press the answer buttons as shown, one after another."""
    reply = run_command(services, who, "selfcheck", "")
    for index, value in enumerate(values):
        data = answer(index, value)
        assert data in [c.data for c in reply.flat_choices], reply.flat_choices
        reply = press_button(services, who, data)
    return reply


def funding_amounts(public: int) -> dict[str, int]:
    """A year's income of 100 euros with `public` of them public funding."""
    return {"membership_fees": 100 - public, "public_funding": public, "services": 0,
            "projects": 0}


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, after checking signature and chunk CRC."""
    assert data[:8] == PNG_SIGNATURE, data[:8]
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    body = data[16:16 + length]
    (crc,) = struct.unpack(">I", data[16 + length:20 + length])
    assert crc == zlib.crc32(kind + body), "IHDR checksum is wrong"
    width, height = struct.unpack(">II", body[:8])
    assert data.endswith(b"IEND\xaeB`\x82"), "the PNG is cut off"
    return width, height


def check_png(data: bytes) -> tuple[int, int]:
    """A real PNG of sensible size and dimensions."""
    assert MIN_BYTES <= len(data) <= MAX_BYTES, len(data)
    width, height = png_size(data)
    assert 400 <= width <= 2000 and 250 <= height <= 1500, (width, height)
    return width, height
