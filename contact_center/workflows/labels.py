"""What a clock is called for people, translated where it is shown. Pure."""

from __future__ import annotations

from contact_center.i18n import N_
from contact_center.i18n import gettext as _
from contact_center.workflows.model import ClockKind

KIND_LABELS = {
    ClockKind.FIRST_RESPONSE: N_("First response"),
    ClockKind.NEXT_UPDATE: N_("Next update"),
    ClockKind.RESOLUTION: N_("Resolution"),
    ClockKind.STEP: N_("Step"),
}


def clock_label(kind: ClockKind, step: str | None, step_title: str | None = None) -> str:
    """ "First response", or a step's deadline named by the step's title in the current
    language ("Step: Customer called back"); by its key when the title is not known."""
    if kind is ClockKind.STEP and step:
        return _("Step: %(step)s") % {"step": step_title or step.replace("_", " ")}
    return _(KIND_LABELS[kind])
