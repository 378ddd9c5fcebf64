"""Where each municipality's summary goes, imported from a CSV file.

Columns (a header row; `,` or `;`; UTF-8, a BOM allowed): `kommunenummer`, `e-post`, and
optionally `målform` (`nb`/`bokmål` or `nn`/`nynorsk`). Every problem is listed with its line
number, and nothing is stored unless the whole file is right.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from core.i18n import Translate
from core.text import is_safe
from core.validation import is_email_address

MAX_FILE_BYTES = 200_000
NUMBER_COLUMNS = ("kommunenummer", "nummer", "number", "municipality")
EMAIL_COLUMNS = ("e-post", "epost", "email", "e-mail")
LANGUAGE_COLUMNS = ("målform", "malform", "written_language", "language")
WRITTEN = {"nb": "nb", "bokmål": "nb", "bokmal": "nb", "nn": "nn", "nynorsk": "nn"}


@dataclass(frozen=True)
class Recipient:
    municipality_number: str
    contact_email: str
    written_language: str | None  # None: keep what the event has


class RecipientFileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((index for index, name in enumerate(header) if name in names), None)


def parse_recipients(data: bytes, invited: set[str], _: Translate) -> list[Recipient]:
    if len(data) > MAX_FILE_BYTES:
        raise RecipientFileError([_("The file is {size} bytes; at most 200000 bytes are allowed.")
                                  .format(size=len(data))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RecipientFileError([_("Line {line}: the file is not UTF-8 text; save it as UTF-8 and try again.")
                                  .format(line=line)]) from None
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",") else ",")
    try:
        rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error:
        raise RecipientFileError([_("The CSV is malformed; check the quotation marks.")]) from None
    if not rows:
        raise RecipientFileError([_("The file is empty.")])
    header = [cell.strip().casefold() for cell in rows[0][1]]
    number_at, email_at, language_at = (_column(header, NUMBER_COLUMNS), _column(header, EMAIL_COLUMNS),
                                        _column(header, LANGUAGE_COLUMNS))
    if number_at is None or email_at is None:
        raise RecipientFileError([_("Line 1: the header must name the columns kommunenummer and e-post.")])
    problems: list[str] = []
    recipients: list[Recipient] = []
    for line, row in rows[1:]:
        cells = [cell.strip() for cell in row] + [""] * len(header)
        number, email = cells[number_at].zfill(4), cells[email_at]
        language = WRITTEN.get(cells[language_at].casefold()) if language_at is not None and cells[language_at] \
            else None
        if not all(is_safe(cell) for cell in cells):
            problems.append(_("Line {line}: the text contains characters that cannot be used (invisible control "
                              "characters or broken letters).").format(line=line))
        elif number not in invited:
            problems.append(_("Line {line}: {number} is not a municipality invited to the event.")
                            .format(line=line, number=cells[number_at]))
        elif email and not is_email_address(email):
            problems.append(_("Line {line}: “{email}” is not an e-mail address.").format(line=line, email=email))
        elif language_at is not None and cells[language_at] and language is None:
            problems.append(_("Line {line}: the målform must be bokmål or nynorsk.").format(line=line))
        else:
            recipients.append(Recipient(number, email, language))
    if problems:
        raise RecipientFileError(problems)
    return recipients
