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
    "bokmål": N_("Official målform: bokmål"),
    "nynorsk": N_("Official målform: nynorsk"),
    "nøytral": N_("Official målform: neutral (the event's default applies)"),
}
