"""Words shown for the surveys' values, translated when shown."""
from flask_babel import lazy_gettext as _l

from bibnet.tenants.surveys.models import Channel, Outcome, Phase, Timing

OUTCOME_LABELS = {
    Outcome.KNOWLEDGE: _l("Knowledge"),
    Outcome.CONFIDENCE: _l("Confidence"),
    Outcome.APPLICATION: _l("Application"),
    Outcome.AWARENESS: _l("Awareness"),
    Outcome.WELLBEING: _l("Wellbeing"),
}
FORM_LABELS = {"plain": _l("Plain"), "easy_read": _l("Easy to read"), "large_print": _l("Large print")}
TIMING_LABELS = {Timing.IMMEDIATE: _l("Immediate: at the end"), Timing.FOLLOW_UP: _l("Follow-up: weeks later")}
PHASE_LABELS = {Phase.SINGLE: _l("Single"), Phase.BEFORE: _l("Before"), Phase.AFTER: _l("After")}
CHANNEL_LABELS = {Channel.ONLINE: _l("Online"), Channel.PAPER: _l("Paper"), Channel.ASSISTED: _l("Assisted")}
# The five-point scale, 1 to 5, and "don't know" (stored as no value).
SCALE_LABELS = {
    1: _l("Strongly disagree"),
    2: _l("Disagree"),
    3: _l("Neither agree nor disagree"),
    4: _l("Agree"),
    5: _l("Strongly agree"),
}
DONT_KNOW = _l("Don't know")
