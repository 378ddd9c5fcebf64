"""Text from people and files: checked once where it comes in, so it is safe everywhere after.

`clean_text` is the check at the boundary (phones, forms, imported files): Unicode in its composed
form (NFC), line breaks as `\\n`, and a refusal of what no screen, file or database should hold —
lone surrogates, control characters other than tab and line break, and Unicode noncharacters.

`shown` is for text stored before the check existed: each such character is written out as its
escape (`\\x00`, `\\ud800`), so an old row is visible for what it is and breaks nothing.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from core.errors import UserError
from core.i18n import N_

# C0 and C1 controls but tab and line feed, lone surrogates, and the noncharacters U+FDD0–U+FDEF and
# U+xFFFE/U+xFFFF of every plane.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
# The same refusal as a JSON Schema pattern, for the API's schema: the line breaks `clean_text` turns into
# "\n" are let through, and lone surrogates are left out (no regular expression engine takes them).
SAFE_TEXT_PATTERN = (
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufdd0-\ufdef"
    + "".join(rf"\U{plane * 0x10000 + 0xFFFE:08x}\U{plane * 0x10000 + 0xFFFF:08x}" for plane in range(17))
    + "]*$"
)


class UnsafeText(UserError):
    def __init__(self) -> None:
        super().__init__(N_("The text contains characters that cannot be used (invisible control characters "
                            "or broken letters). Remove them and try again."))


def clean_text(text: str) -> str:
    """The text as it is stored: line breaks as `\\n`, composed (NFC), trimmed; UnsafeText if it
    holds a character that must not be stored."""
    text = _LINE_BREAKS.sub("\n", text)
    if _UNSAFE.search(text):
        raise UnsafeText()
    return unicodedata.normalize("NFC", text).strip()


def is_safe(text: str) -> bool:
    return _UNSAFE.search(text) is None


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shown(value: Any) -> Any:
    """`value` with every unsafe character of its texts written out as an escape (lists and dicts too)."""
    if isinstance(value, str):
        return value if _UNSAFE.search(value) is None else _UNSAFE.sub(_escape, value)
    if isinstance(value, list):
        return [shown(item) for item in value]
    if isinstance(value, dict):
        return {shown(key): shown(item) for key, item in value.items()}
    return value
