"""Importing where the summaries go: a CSV of municipality numbers, addresses and målformer."""

from __future__ import annotations

import base64

import pytest
from nicegui.testing import User

from core.i18n import translator
from events.recipients import Recipient, RecipientFileError, parse_recipients
from main import Services
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in

INVITED = {"1804", "1806", "0301"}
nb = translator("nb")


def test_a_spreadsheet_export_with_semicolons_and_a_bom_is_read() -> None:
    data = "\ufeffKommunenummer;E-post;Målform\n1804;postmottak@bodo.kommune.no;Nynorsk\n301;post@oslo.kommune.no;\n"
    assert parse_recipients(data.encode(), INVITED, nb) == [
        Recipient("1804", "postmottak@bodo.kommune.no", "nn"), Recipient("0301", "post@oslo.kommune.no", None)]


def test_every_problem_is_listed_with_its_line() -> None:
    data = "kommunenummer,e-post,målform\n1804,ikke-en-adresse,nb\n9999,a@b.no,nb\n1806,c@d.no,samisk\n"
    with pytest.raises(RecipientFileError) as error:
        parse_recipients(data.encode(), INVITED, nb)
    assert error.value.problems == [
        "Linje 2: «ikke-en-adresse» er ikke en e-postadresse.",
        "Linje 3: 9999 er ikke en kommune som er invitert til arrangementet.",
        "Linje 4: målformen må være bokmål eller nynorsk.",
    ]


@pytest.mark.parametrize(("data", "problem"), [
    (b"", "Filen er tom."), (b"navn,adresse\nBod\xc3\xb8,x@y.no\n", "Linje 1: overskriften"),
    (b"\xff\xfe", "ikke UTF-8"), (b"x" * 200_001, "200001 byte")])
def test_files_that_cannot_be_read_say_why(data: bytes, problem: str) -> None:
    with pytest.raises(RecipientFileError) as error:
        parse_recipients(data, INVITED, nb)
    assert problem in error.value.problems[0]


async def test_an_imported_file_fills_in_the_addresses_and_a_bad_one_changes_nothing(
        user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}?tab=summaries")

    def upload(text: str) -> None:
        user.find(marker="recipients-file").trigger(
            "change", {"name": "adresser.csv", "data": base64.b64encode(text.encode()).decode()})

    upload("kommunenummer;e-post\n1804;feil\n")
    await user.should_see("Ingenting ble importert")
    upload("kommunenummer;e-post;målform\n1804;postmottak@bodo.kommune.no;nynorsk\n")
    await user.should_see("Importerte adressen til 1 kommune.")
    addresses = {m.number: (i.contact_email, i.written_language) for m, i in app_services.events.invitations(event_id)}
    assert addresses["1804"] == ("postmottak@bodo.kommune.no", "nn") and addresses["1806"] == ("", "nb")
