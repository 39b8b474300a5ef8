"""Business time: the site's calendar (weekly hours, public holidays, closures, make-up working
days) and deadline arithmetic over it. Pure apart from `holidays` look-ups, which are cached."""

from contact_center.worktime.model import BusinessCalendar, Duration, Unit

__all__ = ["BusinessCalendar", "Duration", "Unit"]
