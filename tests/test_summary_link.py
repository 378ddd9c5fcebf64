"""A municipality opens its private link in a real browser; a withdrawn link says so clearly."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from tests.live_server import live_server
from tests.test_browser import serious_violations, sign_in

pytestmark = pytest.mark.browser


def test_the_private_link_shows_the_summary_until_it_is_withdrawn(browser: Browser, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with live_server(data, "--demo") as server:
        facilitators = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
        control = facilitators.new_page()
        sign_in(control, server)
        control.goto(f"{server.url}/events/1?tab=summaries")
        bodo = control.locator(".summary-row", has_text="Bodø")
        bodo.get_by_role("button", name="Lag en privat lenke").click()
        address = bodo.get_by_role("link", name="Privat lenke").get_attribute("href")
        assert address is not None and "/summary/" in address
        local = server.url + address[address.index("/summary/"):]  # PUBLIC_URL is the LAN address

        municipality = browser.new_context(locale="nb-NO").new_page()
        municipality.goto(local)
        expect(municipality.get_by_role("heading", name="Oppsummering for Bodø")).to_be_visible()
        expect(municipality.get_by_text("Dialogmøte – Leve hele livet")).to_be_visible()
        assert municipality.locator("html").get_attribute("lang") == "nb"
        assert serious_violations(municipality) == []
        pdf_address = municipality.get_by_role("link", name="Last ned oppsummeringen som PDF").get_attribute("href")
        with urllib.request.urlopen(server.url + str(pdf_address)) as pdf:  # shown in the browser, not saved
            assert pdf.headers["Content-Type"] == "application/pdf" and pdf.read(5) == b"%PDF-"
        with municipality.expect_download() as docx:
            municipality.get_by_role("link", name="Last den ned som Word-dokument (DOCX)").click()
        assert "Oppsummering for Bodø" in Document(str(docx.value.path())).core_properties.title

        with control.expect_download() as report:  # the hosts' report, from the summaries tab
            control.get_by_role("button", name="Rapport for vertene (PDF)").click()
        assert "Rapport: Dialogmøte – Leve hele livet" in PdfReader(report.value.path()).pages[0].extract_text()
        with control.expect_download() as word:
            bodo.get_by_role("link", name="DOCX").click()
        assert word.value.suggested_filename == "oppsummering-1804.docx"
        with control.expect_popup() as preview:  # what Bodø will get, before anything is sent
            bodo.get_by_role("link", name="Forhåndsvis").click()
        expect(preview.value.get_by_role("heading", name="Oppsummering for Bodø")).to_be_visible()
        assert serious_violations(preview.value) == []
        oslo = facilitators.request.get(f"{server.url}/events/1/summaries/0301")  # Oslo is not invited
        assert oslo.status == 404 and "ikke invitert" in oslo.text()
        assert facilitators.request.get(f"{server.url}/events/1/summaries/1804/exe").status == 404
        with urllib.request.urlopen(f"{server.url}/events/1/summaries/1804") as stranger:  # no sign-in
            assert "/signin" in stranger.url and "Bodø" not in stranger.read().decode()

        bodo.get_by_role("button", name="Trekk tilbake lenken").click()
        expect(bodo.get_by_role("button", name="Lag en privat lenke")).to_be_visible()
        municipality.reload()
        expect(municipality.get_by_role("heading", name="Denne oppsummeringen er ikke lenger tilgjengelig"))\
            .to_be_visible()
        assert municipality.get_by_text("Dialogmøte – Leve hele livet").count() == 0
        assert serious_violations(municipality) == []
        facilitators.close()
