"""Message ids for the agenda's codes; translate them where they are shown."""

from core.i18n import N_

KIND_LABELS = {
    "talk": N_("Talk"),
    "break": N_("Break"),
    "poll": N_("Poll"),
    "group_work": N_("Group work"),
    "other": N_("Other"),
}
ROLE_LABELS = {
    "FM": "FM",
    "KS": "KS",
    "USHT": "USHT",
    "Kommunene": N_("Municipalities"),
    "Alle": N_("Everyone"),
}
