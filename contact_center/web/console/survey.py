"""The public satisfaction survey page a closed complaint's message links to: no sign-in, the
customer picks 1 to 5 and may add a comment.

The unguessable token in the path (128 random bits) is the only credential, as for a password
reset link: a forged cross-site POST would have to know it already, and who knows it is the
customer the survey was sent to, so no CSRF token is needed. The page shows nothing about the
customer but the ticket number."""

from __future__ import annotations

from aiohttp import web

from contact_center import workflows
from contact_center.errors import Invalid
from contact_center.i18n import gettext as _
from contact_center.timeutil import utc_now
from contact_center.web.console.pages import render
from contact_center.web.keys import POOL
from contact_center.web.route import Route

MAX_FORM_BYTES = 8192


async def survey_page(request: web.Request) -> web.StreamResponse:
    survey = await workflows.survey_by_token(request.app[POOL], request.match_info["token"])
    if workflows.survey_closed(survey, now=utc_now()):
        return _page(request, survey.ticket_number, closed=True)
    return _page(request, survey.ticket_number, answered=survey.answered_at is not None)


async def survey_submit(request: web.Request) -> web.StreamResponse:
    pool = request.app[POOL]
    token = request.match_info["token"]
    survey = await workflows.survey_by_token(pool, token)
    if (request.content_length or 0) > MAX_FORM_BYTES:
        return _page(
            request, survey.ticket_number, error=_("Your comment is too long."), status=413
        )
    form = await request.post()
    raw = str(form.get("score", ""))
    score = int(raw) if raw in {"1", "2", "3", "4", "5"} else 0
    try:
        await workflows.answer_by_link(
            pool, token, score=score, comment=str(form.get("comment", "")), now=utc_now()
        )
    except Invalid:
        error = _("Please choose a number from 1 to 5.")
        return _page(request, survey.ticket_number, error=error, status=422)
    # Post, redirect, get: a reload does not post the answer again.
    raise web.HTTPSeeOther(f"/survey/{token}")


def _page(
    request: web.Request,
    number: int,
    *,
    answered: bool = False,
    closed: bool = False,
    error: str = "",
    status: int = 200,
) -> web.Response:
    return render(
        request,
        "survey.html",
        {
            "number": number,
            "answered": answered,
            "closed": closed,
            "error": error,
            "scores": range(1, 6),
        },
        status=status,
    )


ROUTES: list[Route] = [
    Route("GET", "/survey/{token}", survey_page, "Satisfaction survey", public=True, console=True),
    Route("POST", "/survey/{token}", survey_submit, "Answer the survey", public=True, console=True),
]
