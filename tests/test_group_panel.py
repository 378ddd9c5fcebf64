"""The control room's group work, through NiceGUI's simulated user: state, paper fallback, locking, drafts."""

from __future__ import annotations

from nicegui.testing import User

from core.database import unit_of_work
from facilitator.demo import DEMO_EMAIL
from main import Services
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in
from workshops.group_work import GroupDraft, corrections


async def test_the_facilitator_fills_in_from_paper_sets_the_measures_and_locks(
        user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    groups = app_services.groups
    area = groups.catalogue(event_id).areas[1]
    groups.save(event_id, "1804", GroupDraft(area.area.id), version=0)  # Bodø's phones have a draft
    await sign_in(user)
    await user.open(f"/events/{event_id}/control")
    await user.should_see("0 av 41 kommuner har levert.")
    user.find(marker="edit-group-1806").click()  # Narvik, on paper
    user.find(marker="group-edit-area").elements.pop().value = area.area.id
    user.find(marker=f"group-edit-measure-{area.measures[0].id}").elements.pop().value = True
    user.find(marker="group-edit-reason").type("Fra papirskjemaet.")
    user.find(marker="group-edit-submit").click()
    await user.should_see("1 av 41 kommuner har levert.")
    narvik = groups.choice(event_id, "1806")
    assert narvik is not None and narvik.status == "submitted"
    assert (narvik.measures, narvik.reason) == ([str(area.measures[0].id)], "Fra papirskjemaet.")

    user.find(marker="lock-groups").click()
    await user.should_see("Lås opp valgene")
    assert groups.is_locked(event_id)
    assert [s.status for s in groups.groups(event_id) if s.choice] == ["draft", "submitted"]
    await user.should_see("Utkast som ikke er levert")  # Bodø's draft waits for the facilitators
    user.find(marker="submit-draft-1804").click()
    await user.should_see("2 av 41 kommuner har levert.")
    assert [s.status for s in groups.groups(event_id) if s.choice] == ["submitted", "submitted"]
    user.find(marker="group-texts-shown").elements.pop().value = True
    assert groups.settings(event_id).texts_shown
    user.find(marker="group-max-measures").elements.pop().value = 2
    user.find(marker="group-max-measures").trigger("change")
    assert groups.catalogue(event_id).max_measures == 2


async def test_a_conflict_in_the_fill_in_dialog_shows_both_texts_and_takes_theirs(
        user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    groups = app_services.groups
    area = groups.catalogue(event_id).areas[1]
    started = GroupDraft(area.area.id, reason="Første utkast", first_step="Ringe eldrerådet")
    first = groups.save(event_id, "1804", started, version=0)
    await sign_in(user)
    await user.open(f"/events/{event_id}/control")
    user.find(marker="edit-group-1804").click()
    user.find(marker="group-edit-reason").elements.pop().value = "Fra kontrollrommet"
    # meanwhile a phone in Bodø changes the same field, and one the dialog left alone
    groups.save(event_id, "1804", GroupDraft(area.area.id, reason="Fra telefonen", first_step="Møte i desember"),
                version=first.version, base=started)
    user.find(marker="group-edit-save").click()
    await user.should_see("Noen endret de samme feltene i mellomtiden. Begge tekstene vises")
    await user.should_see("Det du skrev")
    await user.should_see("Det noen andre lagret i mellomtiden")
    assert user.find(marker="group-mine-reason").elements.pop().text == "Fra kontrollrommet"
    assert user.find(marker="group-theirs-reason").elements.pop().text == "Fra telefonen"
    stored = groups.choice(event_id, "1804")
    assert stored is not None and (stored.reason, stored.first_step) == ("Fra telefonen", "Møte i desember")
    user.find(marker="group-take-theirs-reason").click()
    await user.should_not_see("Det du skrev")
    reason = user.find(marker="group-edit-reason").elements.pop()
    assert reason.value == "Fra telefonen"
    reason.value = "Fra telefonen, og fra kontrollrommet"
    user.find(marker="group-edit-save").click()
    await user.should_not_see(marker="group-edit-save")
    stored = groups.choice(event_id, "1804")
    assert stored is not None
    # the field only the phone changed keeps the phone's text
    assert (stored.reason, stored.first_step) == ("Fra telefonen, og fra kontrollrommet", "Møte i desember")


async def test_a_correction_in_the_fill_in_dialog_keeps_who_made_it_and_what_was_there(
        user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    groups = app_services.groups
    area = groups.catalogue(event_id).areas[1]
    groups.save(event_id, "1806", GroupDraft(area.area.id, reason="Fra telefonen."), version=0, action="submit")
    await sign_in(user)
    await user.open(f"/events/{event_id}/control")
    await user.should_see("1 av 41 kommuner har levert.")
    user.find(marker="edit-group-1806").click()
    user.find(marker="group-edit-reason").clear().type("Rettet etter samtale med gruppen.")
    user.find(marker="group-edit-submit").click()
    await user.should_see("1 av 41 kommuner har levert.")
    narvik = groups.choice(event_id, "1806")
    assert narvik is not None and narvik.reason == "Rettet etter samtale med gruppen."
    with unit_of_work(app_services.engine) as session:
        kept = [(c.corrected_by, c.before.get("reason")) for c in corrections(session, event_id, "1806")]
    assert kept == [(DEMO_EMAIL, "Fra telefonen.")]
