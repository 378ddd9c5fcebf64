"""The event's focus-area catalogue in its set-up: copy a bundled one, then edit areas and measures."""

from __future__ import annotations

from nicegui import ui
from nicegui.elements.mixins.text_element import TextElement

from core.errors import UserError
from core.i18n import LANGUAGES, N_
from facilitator.language import _, current_language
from facilitator.layout import attempt, heading, notify_error
from workshops.catalogues import MAX_DESCRIPTION, MAX_NAME, AreaWithMeasures, CatalogueService, Texts
from workshops.models import Catalogue

NAME_LABELS = {"nb": N_("Name (bokmål)"), "nn": N_("Name (nynorsk)"), "en": N_("Name (English)")}
DESCRIPTION_LABELS = {"nb": N_("Description (bokmål)"), "nn": N_("Description (nynorsk)"),
                      "en": N_("Description (English)")}
MEASURE_LABELS = {"nb": N_("Measure (bokmål)"), "nn": N_("Measure (nynorsk)"), "en": N_("Measure (English)")}
COLUMNS = "grid grid-cols-1 md:grid-cols-3 gap-4 w-full"


def _legend(text: str) -> None:
    TextElement(tag="legend", text=text).classes("text-lg font-semibold px-1")


def _name_inputs(labels: dict[str, str], values: Texts, marker: str) -> dict[str, ui.input]:
    """One input per language, side by side: bokmål, nynorsk, English."""
    inputs: dict[str, ui.input] = {}
    with ui.element("div").classes(COLUMNS):
        for language in LANGUAGES:
            inputs[language] = ui.input(_(labels[language]), value=values.get(language)) \
                .props(f"outlined counter maxlength={MAX_NAME}").classes("w-full text-lg") \
                .mark(f"{marker}-{language}")
    return inputs


def _texts(inputs: dict[str, ui.input] | dict[str, ui.textarea]) -> Texts:
    return Texts(*(str(inputs[language].value or "") for language in LANGUAGES))


def _measures(catalogues: CatalogueService, area_id: int, marker: str) -> None:
    @ui.refreshable
    def measure_list() -> None:
        entry = catalogues.area(area_id)
        measures = entry.measures if entry else []
        if not measures:
            ui.label(_("No measures yet.")).classes("text-lg")
        for number, measure in enumerate(measures, start=1):
            measure_marker = f"{marker}-measure-{number}"
            with ui.element("fieldset").classes("border rounded p-3 w-full"):
                _legend(_("Measure {number}").format(number=number))
                inputs = _name_inputs(MEASURE_LABELS, Texts(measure.name_nb, measure.name_nn, measure.name_en),
                                      measure_marker)
                with ui.row().classes("gap-2 mt-2"):
                    ui.button(_("Save measure"), icon="save",
                              on_click=lambda m=measure.id or 0, i=inputs: attempt(
                                  lambda: catalogues.update_measure(m, _texts(i)),
                                  lambda: ui.notify(_("Saved."), type="positive"))) \
                        .mark(f"{measure_marker}-save")
                    ui.button(_("Remove measure"), icon="delete",
                              on_click=lambda m=measure.id or 0: attempt(
                                  lambda: catalogues.remove_measure(m), measure_list.refresh)) \
                        .props("outline").mark(f"{measure_marker}-remove")
        with ui.element("fieldset").classes("border rounded p-3 w-full"):
            _legend(_("New measure"))
            new = _name_inputs(MEASURE_LABELS, Texts(), f"{marker}-new-measure")
            ui.button(_("Add measure"), icon="add",
                      on_click=lambda: attempt(lambda: catalogues.add_measure(area_id, _texts(new)),
                                                measure_list.refresh)) \
                .classes("mt-2").mark(f"{marker}-add-measure")

    measure_list()


def _area(catalogues: CatalogueService, number: int, entry: AreaWithMeasures) -> None:
    area = entry.area
    marker = f"area-{number}"
    with ui.card().classes("w-full gap-3"):
        title = heading("{number}. {name}".format(number=number, name=getattr(area, f"name_{current_language()}")), 3)
        names = _name_inputs(NAME_LABELS, Texts(area.name_nb, area.name_nn, area.name_en), f"{marker}-name")
        descriptions: dict[str, ui.textarea] = {}
        with ui.element("div").classes(COLUMNS):
            for language in LANGUAGES:
                descriptions[language] = ui.textarea(_(DESCRIPTION_LABELS[language]),
                                                     value=getattr(area, f"description_{language}")) \
                    .props(f"outlined counter autogrow maxlength={MAX_DESCRIPTION}").classes("w-full text-lg") \
                    .mark(f"{marker}-description-{language}")
        def save() -> None:
            saved = catalogues.update_area(area.id or 0, _texts(names), _texts(descriptions))
            title.set_text("{number}. {name}".format(number=number, name=getattr(saved, f"name_{current_language()}")))
            ui.notify(_("Saved."), type="positive")

        ui.button(_("Save focus area"), icon="save", on_click=lambda: attempt(save, lambda: None)) \
            .mark(f"{marker}-save")
        heading(_("Measures"), 4)
        _measures(catalogues, area.id or 0, marker)


def _read_only(catalogues: CatalogueService, event_id: int, catalogue: Catalogue) -> None:
    ui.label(_("This catalogue comes with the app and cannot be changed. "
               "Make a copy to change its wording for this event.")).classes("text-lg")

    def make_copy() -> None:
        try:
            catalogues.copy_for_event(event_id)
        except UserError as error:
            notify_error(error.translated(_))
            return
        ui.navigate.to(f"/events/{event_id}?tab=catalogue")  # the details tab shows the new catalogue too

    ui.button(_("Make an editable copy for this event"), icon="content_copy", on_click=make_copy) \
        .classes("text-lg").mark("copy-catalogue")
    for number, entry in enumerate(catalogues.areas(catalogue.id or 0), start=1):
        with ui.card().classes("w-full gap-1"):
            language = current_language()
            heading("{number}. {name}".format(number=number, name=getattr(entry.area, f"name_{language}")), 3)
            description = getattr(entry.area, f"description_{language}")
            if description:
                ui.label(description).classes("text-lg")
            with ui.element("ul").classes("list-disc pl-6 text-lg"):
                for measure in entry.measures:
                    with ui.element("li"):
                        ui.label(getattr(measure, f"name_{language}"))


def catalogue_editor(catalogues: CatalogueService, event_id: int) -> None:
    catalogue = catalogues.for_event(event_id)
    if catalogue is None:
        ui.label(_("This event has no focus-area catalogue. Choose one under Details.")).classes("text-lg")
        return
    language = current_language()
    heading(getattr(catalogue, f"name_{language}"), 2).mark("catalogue-name")
    if catalogue.based_on_id is not None:
        original = catalogues.get(catalogue.based_on_id)
        if original is not None:
            ui.label(_("Copied from {name}.").format(name=getattr(original, f"name_{language}"))).classes("text-lg")
    if catalogue.read_only:
        _read_only(catalogues, event_id, catalogue)
        return
    ui.label(_("Changes apply to every event that uses this catalogue. Save each focus area and measure "
               "after changing it.")).classes("text-lg")
    for number, entry in enumerate(catalogues.areas(catalogue.id or 0), start=1):
        _area(catalogues, number, entry)
