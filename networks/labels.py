"""Message ids for the networks' codes; translate them where they are shown."""

from core.i18n import N_
from workshops.history import STEP_STATUS_LABELS as STEP_LABELS

REFORM_LABELS = {  # the reforms' own names stay as they are in every language
    "leve_hele_livet": "Leve hele livet",
    "bo_trygt_hjemme": "Bo trygt hjemme",
    "both": N_("Leve hele livet and Bo trygt hjemme"),
}
PHASE_LABELS = {
    "": N_("No phase"),
    "kartlegging": N_("Mapping (kartlegging)"),
    "planlegging": N_("Planning (planlegging)"),
    "gjennomforing": N_("Carrying out (gjennomføring)"),
    "evaluering": N_("Evaluation (evaluering)"),
}
STEP_STATUS_LABELS = STEP_LABELS  # kept with the group choices, where the summaries use them too
