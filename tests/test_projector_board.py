"""The projector's group board and charts: laid out for the number of municipalities, paged beyond 60."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nicegui.testing import User

from core.clock import ShiftedClock
from events.joining import typed_join_address
from facilitator.group_board import MOST_ON_ONE_PAGE, PAGE_SECONDS, board_layout, page_in_turn
from facilitator.projector import ANSWER_PAGE_SECONDS, MIN_TEXT_VH, SHIFTS_PER_PAGE, word_sizes
from facilitator.projector_bars import bars, scale_labels
from main import Services
from tests.test_results import vote
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in


def test_few_municipalities_get_large_cards_and_many_compact_ones_on_one_page() -> None:
    assert board_layout(4, texts_shown=False).compact is False
    assert board_layout(9, texts_shown=False).columns == 3
    many = board_layout(MOST_ON_ONE_PAGE, texts_shown=False)
    assert many.compact and many.pages == 1 and many.per_page == MOST_ON_ONE_PAGE
    assert board_layout(46, texts_shown=False).pages == 1
    paged = board_layout(MOST_ON_ONE_PAGE + 10, texts_shown=False)
    assert (paged.pages, paged.per_page) == (2, 35)  # two even pages, not 60 and 10
    with_texts = board_layout(10, texts_shown=True)
    assert not with_texts.compact and with_texts.pages == 3  # the groups' texts are long: a few a page


def test_the_pages_turn_by_the_apps_clock() -> None:
    start = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    pages = [page_in_turn(3, start + timedelta(seconds=PAGE_SECONDS * step)) for step in range(6)]
    assert sorted(pages[:3]) == [0, 1, 2] and pages[3:] == pages[:3]
    assert {page_in_turn(1, start + timedelta(seconds=s)) for s in range(0, 60, 7)} == {0}


def test_every_bar_has_its_count_and_share_and_a_scale_its_end_words() -> None:
    assert [(b.label, b.count, b.percent) for b in bars(["Ja", "Nei"], [2, 1], 3)] == [("Ja", 2, 67), ("Nei", 1, 33)]
    assert [b.percent for b in bars(["A", "B"], [0, 0], 0)] == [0, 0]
    assert scale_labels(["1", "2", "3", "4", "5"], "Lite", "Mye") == ["1 · Lite", "2", "3", "4", "5 · Mye"]
    assert scale_labels(["1", "2", "3"], "", "") == ["1", "2", "3"]


def test_a_word_cloud_keeps_every_word_readable() -> None:
    many = tuple((f"ord{n}", 30 - n) for n in range(30))
    sizes = [size for _word, size in word_sizes(many)]
    assert min(sizes) >= MIN_TEXT_VH and sizes[0] == max(sizes)
    assert max(sizes) < max(size for _word, size in word_sizes(many[:5]))  # many words: less spread, to fit


def test_the_typed_address_has_no_scheme_and_no_code() -> None:
    assert typed_join_address("https://dialog.example.no/") == "dialog.example.no/join"
    assert typed_join_address("http://192.0.2.10:8080") == "192.0.2.10:8080/join"


async def test_more_than_sixty_municipalities_turn_pages_on_the_board(user: User, app_services: Services,
                                                                       clock: ShiftedClock) -> None:
    event_id = demo_event_id(app_services)
    invited, version = app_services.events.invited_version(event_id)
    trøndelag = [m.number for m in app_services.events.municipalities() if m.county_number == "50"][:29]
    app_services.events.set_invited(event_id, invited | set(trøndelag), based_on=version)  # 41 + 29 = 70
    app_services.events.set_projector(event_id, "groups")
    await sign_in(user)
    await user.open(f"/events/{event_id}/projector")
    await user.should_see(marker="board-page")
    shown = next(iter(user.find(marker="board-page").elements)).text
    assert shown in ("Side 1 av 2", "Side 2 av 2")
    assert len(user.find(marker="group-board").elements) == 1
    clock.advance(timedelta(seconds=PAGE_SECONDS))
    other = "Side 2 av 2" if shown == "Side 1 av 2" else "Side 1 av 2"
    await user.should_see(other)


async def test_many_municipalities_beside_before_and_after_take_turns(user: User, app_services: Services,
                                                                      clock: ShiftedClock) -> None:
    event_id = demo_event_id(app_services)
    opening, closing = (view.poll.id or 0 for view in app_services.polls.polls(event_id))
    nordland = sorted(app_services.events.invited_numbers(event_id))[:SHIFTS_PER_PAGE + 1]
    for poll_index, poll_id in enumerate((opening, closing)):
        app_services.polls.open(poll_id)
        for municipality in nordland:
            for number in range(5):
                vote(app_services, event_id, f"shift-{municipality}-{number:04d}-aaaa", 3 + poll_index,
                     poll_index=poll_index, municipality=municipality)
    app_services.events.set_projector(event_id, "comparison")
    await sign_in(user)
    await user.open(f"/events/{event_id}/projector")
    await user.should_see(marker="comparison-page")
    shown = next(iter(user.find(marker="comparison-page").elements)).text
    assert shown in ("Side 1 av 2", "Side 2 av 2")
    assert len(user.find(marker="comparison-group").elements) in (SHIFTS_PER_PAGE, 1)
    clock.advance(timedelta(seconds=ANSWER_PAGE_SECONDS))
    await user.should_see("Side 2 av 2" if shown == "Side 1 av 2" else "Side 1 av 2")
