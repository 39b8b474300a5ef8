"""Queue administration pages (supervisors and admins): every queue with its kinds, skills,
business hours, strategy and limits, a form to create one and a form to edit each."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from contact_center import routing, site
from contact_center.errors import Conflict, Invalid, NotFound
from contact_center.i18n import N_
from contact_center.i18n import gettext as _
from contact_center.routing import Queue, Strategy
from contact_center.routing.hours import ALWAYS, WEEKDAYS, hours_json, is_open, spans_text
from contact_center.routing.hours import spans_from_text as day_spans
from contact_center.routing.queue_rules import LIMITS, NAME_RE, NEW_QUEUE_DEFAULTS
from contact_center.tickets import Kind
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.web.auth import actor_of, require_role
from contact_center.web.console.labels import KIND_LABELS
from contact_center.web.console.pages import render
from contact_center.web.keys import POOL, SETTINGS
from contact_center.web.route import Route

EDITORS = (Role.SUPERVISOR, Role.ADMIN)
STATUS_OF = {Invalid: 422, Conflict: 409, NotFound: 404}
STRATEGY_LABELS = {
    Strategy.LONGEST_IDLE: N_("Longest idle agent first"),
    Strategy.ROUND_ROBIN: N_("Round robin"),
    Strategy.FEWEST_TODAY: N_("Fewest handled today"),
}
DAY_LABELS = dict(
    zip(
        WEEKDAYS,
        [N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun")],
        strict=True,
    )
)
FIELD_LABELS = {
    "name": N_("Name"),
    "label": N_("Label"),
    "kinds": N_("Ticket kinds"),
    "is_default": N_("Default queue"),
    "skills": N_("Skills"),
    "hours": N_("Business hours"),
    "strategy": N_("Strategy"),
    "wait_limit_seconds": N_("Wait limit (seconds)"),
    "service_level_seconds": N_("Service level threshold (seconds)"),
    "step_seconds": N_("Widen after (seconds)"),
    "overflow_queue": N_("Overflow queue"),
}


def hours_summary(hours: Mapping[str, Any]) -> list[str]:
    """The week in a few lines, days with the same spans joined: `Mon–Fri 08:00–18:00`."""
    schedule = hours_json(hours)
    if schedule == ALWAYS:
        return [_("Open around the clock")]
    lines: list[str] = []
    run: list[str] = []
    for day in [*WEEKDAYS, ""]:
        if run and (not day or schedule.get(day) != schedule.get(run[0])):
            if run[0] in schedule:
                days = _(DAY_LABELS[run[0]])
                if len(run) > 1:
                    days += "–" + _(DAY_LABELS[run[-1]])
                lines.append(f"{days} {spans_text(schedule, run[0]).replace('-', '–')}")
            run = []
        if day:
            run.append(day)
    return lines or [_("Always closed")]


def _values(queue: Queue) -> dict[str, Any]:
    """The form's fields for a queue, as the form shows them."""
    return {
        "name": queue.name,
        "label": queue.label,
        "kinds": list(queue.kinds),
        "is_default": queue.is_default,
        "skills": ", ".join(queue.skills),
        **{f"hours_{day}": spans_text(queue.hours, day) for day in WEEKDAYS},
        "strategy": str(queue.strategy),
        **{limit: str(getattr(queue, limit)) for limit in LIMITS},
        "overflow_queue": queue.overflow_queue or "",
    }


def _typed(form: Mapping[str, Any], kinds: list[str]) -> dict[str, Any]:
    """What was typed, to show the form again after a refusal."""
    return {
        **{key: str(value) for key, value in form.items()},
        "kinds": kinds,
        "is_default": form.get("is_default") == "on",
    }


def _whole(raw: Any, field: str) -> int:
    try:
        return int(str(raw).strip())
    except ValueError:
        raise Invalid(_("Enter a whole number of seconds."), field=field) from None


def _fields(form: Mapping[str, Any], kinds: list[str]) -> dict[str, Any]:
    """The service's fields from the form. The default flag is sent only where the form
    offered it: the default queue keeps it until another queue takes it."""
    fields: dict[str, Any] = {
        "label": str(form.get("label", "")),
        "kinds": kinds,
        "skills": str(form.get("skills", "")).split(","),
        "hours": {d: day_spans(str(form.get(f"hours_{d}", "")), d) for d in WEEKDAYS},
        "strategy": str(form.get("strategy", "")),
        "overflow_queue": str(form.get("overflow_queue", "")) or None,
        **{limit: _whole(form.get(limit, ""), limit) for limit in LIMITS},
    }
    if form.get("offers_default"):
        fields["is_default"] = form.get("is_default") == "on"
    return fields


async def _page(
    request: web.Request,
    template: str,
    *,
    editing: Queue | None = None,
    values: dict[str, Any] | None = None,
    message: str = "",
    error: str = "",
    status: int = 200,
) -> web.Response:
    queues = await routing.list_queues(request.app[POOL])
    now, zone = utc_now(), request.app[SETTINGS].site_timezone
    async with request.app[POOL].acquire() as conn:
        calendar = await site.business_calendar(conn, around=now)  # holidays, make-up days
    new = Queue(name="", **NEW_QUEUE_DEFAULTS)
    context = {
        "queues": [
            (
                q,
                hours_summary(q.hours),
                is_open(q.hours, now, zone, calendar.closed, calendar.extra),
            )
            for q in queues
        ],
        "editing": editing,
        "values": values or _values(editing or new),
        "kinds": [(k.value, _(KIND_LABELS[k])) for k in Kind],
        "strategies": [(s.value, _(label)) for s, label in STRATEGY_LABELS.items()],
        "days": [(d, _(DAY_LABELS[d])) for d in WEEKDAYS],
        "limits": [(limit, _(FIELD_LABELS[limit])) for limit in LIMITS],
        "strategy_labels": {s.value: _(label) for s, label in STRATEGY_LABELS.items()},
        "kind_labels": {k.value: _(label) for k, label in KIND_LABELS.items()},
        "message": message,
        "error": error,
    }
    return render(request, template, context, status=status)


def _refusal(exc: Invalid | Conflict | NotFound) -> tuple[str, int]:
    label = FIELD_LABELS.get(exc.field or "")
    if label is None:
        return exc.message, STATUS_OF[type(exc)]
    text = _("%(field)s: %(problem)s") % {"field": _(label), "problem": exc.message}
    return text, STATUS_OF[type(exc)]


async def _queue_named(request: web.Request) -> Queue:
    name = request.match_info["name"]
    if not NAME_RE.fullmatch(name):
        raise NotFound(_("There is no such queue."), field="name")
    return await routing.get_queue(request.app[POOL], name)


async def queues_page(request: web.Request) -> web.StreamResponse:
    require_role(request, *EDITORS)
    saved = request.query.get("saved", "")
    message = _("Saved queue %(name)s.") % {"name": saved} if NAME_RE.fullmatch(saved) else ""
    return await _page(request, "admin_queues.html", message=message)


async def create_queue_submit(request: web.Request) -> web.StreamResponse:
    require_role(request, *EDITORS)
    form = await request.post()
    kinds = [str(k) for k in form.getall("kinds", [])]
    try:
        fields = {"name": str(form.get("name", "")), **_fields(form, kinds)}
        queue = await routing.create_queue(
            request.app[POOL], actor_of(request), fields, now=utc_now()
        )
    except (Invalid, Conflict, NotFound) as exc:
        error, status = _refusal(exc)
        values = _typed(form, kinds)
        return await _page(request, "admin_queues.html", values=values, error=error, status=status)
    message = _("Created queue %(name)s.") % {"name": queue.name}
    return await _page(request, "admin_queues.html", message=message)


async def queue_page(request: web.Request) -> web.StreamResponse:
    require_role(request, *EDITORS)
    return await _page(request, "admin_queue.html", editing=await _queue_named(request))


async def update_queue_submit(request: web.Request) -> web.StreamResponse:
    require_role(request, *EDITORS)
    pool = request.app[POOL]
    queue = await _queue_named(request)
    form = await request.post()
    kinds = [str(k) for k in form.getall("kinds", [])]
    try:
        fields = _fields(form, kinds)
        await routing.update_queue(pool, actor_of(request), queue.name, fields, now=utc_now())
    except (Invalid, Conflict, NotFound) as exc:
        error, status = _refusal(exc)
        values = {**_typed(form, kinds), "name": queue.name}
        return await _page(
            request, "admin_queue.html", editing=queue, values=values, error=error, status=status
        )
    raise web.HTTPSeeOther(f"/admin/queues?saved={queue.name}")


ROUTES: list[Route] = [
    Route("GET", "/admin/queues", queues_page, "Queues (supervisor, admin)", console=True),
    Route("POST", "/admin/queues", create_queue_submit, "Create a queue", console=True),
    Route("GET", "/admin/queues/{name}", queue_page, "Edit a queue", console=True),
    Route("POST", "/admin/queues/{name}", update_queue_submit, "Save a queue", console=True),
]
