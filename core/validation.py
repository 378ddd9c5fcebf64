"""Small checks of what people type, shared by the domains."""

from __future__ import annotations

import re

from core.text import is_safe

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def is_email_address(text: str) -> bool:
    """Plausibly an e-mail address: something@somewhere.tld, at most 254 characters, no spaces."""
    return len(text) <= 254 and is_safe(text) and bool(_EMAIL.fullmatch(text))
