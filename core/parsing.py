"""Reading numbers that users type or buttons carry, safely.

`str.isdigit()` accepts "²" and "٣", which `int()` rejects, and a forged button can carry a
number too large for a database integer: both must end in a polite notice, not an exception.
"""

from __future__ import annotations


def is_number(text: str, max_digits: int = 9) -> bool:
    """True for 1 to `max_digits` ASCII digits (9 digits always fit a 32-bit integer)."""
    return text.isascii() and text.isdigit() and 0 < len(text) <= max_digits
