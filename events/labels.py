"""Message ids for the workshop domain's codes; translate them where they are shown."""

from core.i18n import N_

PARTICIPANT_ROLE_LABELS = {
    "politician": N_("Elected representative"),
    "leader": N_("Leader"),
    "employee": N_("Employee"),
    "user_representative": N_("Council for the elderly / user representative"),
    "other": N_("Other"),
}

MALFORM_LABELS = {  # a municipality's official decision, shown beside the målform its summary is written in
    "bokmål": N_("Language decision: bokmål"),
    "nynorsk": N_("Language decision: nynorsk"),
    "nøytral": N_("Language decision: neutral"),  # the event's default målform applies
}
