"""The network page's report with the simulated user: the hosts' summary saved as typed, hostile text kept as data
in the downloaded files, a refused text changes nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

from docx import Document
from nicegui.testing import User
from openpyxl import load_workbook
from pypdf import PdfReader

from main import Services
from networks.service import NetworkDetails
from tests.test_network_page import _demo_owner
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in

HOSTILE: dict[str, str] = json.loads((Path(__file__).parent / "data" / "hostile-text.json").read_text("utf-8"))
TYPED = f"Godt i gang. {HOSTILE['html']} {HOSTILE['formula_eq']}"
WAIT = 30


async def test_the_report_summary_is_saved_and_every_file_holds_it_as_data(user: User,
                                                                            app_services: Services) -> None:
    owner = _demo_owner(app_services)
    network = app_services.networks.create(NetworkDetails("Læringsnettverk Salten", "Nordland"), owner)
    app_services.networks.add_meeting(network.id or 0, demo_event_id(app_services), "kartlegging", owner)
    await sign_in(user)
    await user.open(f"/networks/{network.id}")
    await user.should_see("Nettverksrapport")
    user.find(marker="report-text").elements.pop().set_value(TYPED)
    user.find(marker="save-report-text").click()
    await user.should_see("Lagret.")
    assert app_services.network_reports.report(network.id or 0).text == TYPED

    user.find(marker="report-text").elements.pop().set_value(HOSTILE["nul"])
    user.find(marker="save-report-text").click()
    await user.should_see("Teksten inneholder tegn som ikke kan brukes")
    assert app_services.network_reports.report(network.id or 0).text == TYPED  # refused: nothing changed

    user.find(marker="report-text").elements.pop().set_value(TYPED)
    user.find(marker="report-xlsx").click()
    workbook = load_workbook(io.BytesIO((await user.download.next(timeout=WAIT)).content))
    cell = workbook["Oppsummering"]["A2"]
    assert (cell.value, cell.data_type) == (TYPED, "s")
    user.find(marker="report-pdf").click()
    pdf = PdfReader(io.BytesIO((await user.download.next(timeout=WAIT)).content))
    assert TYPED in " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    user.find(marker="report-docx").click()
    word = Document(io.BytesIO((await user.download.next(timeout=WAIT)).content))
    assert TYPED in [paragraph.text for paragraph in word.paragraphs]
