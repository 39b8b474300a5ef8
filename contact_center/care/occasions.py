"""Which greetings are due on a site day, and where a care message goes. Pure."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from contact_center.care.model import Address, Greeting, Reachable, Skip
from contact_center.customers.identities import takes_sms


def birthdays_on(day: date) -> list[tuple[int, int]]:
    """The (month, day) birthdays greeted on `day`: Feb 29 birthdays are greeted on Feb 28
    in common years (the last day of their month), so every birthday is greeted every year."""
    found = [(day.month, day.day)]
    if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
        found.append((2, 29))
    return found


def holiday_on(day: date, holidays: frozenset[date], labels: Mapping[date, str]) -> str | None:
    """The holiday greeted on `day`, or None: public holidays of the business calendar, greeted
    on the first day of a run (a week-long Spring Festival is one greeting, not seven)."""
    if day not in holidays:
        return None
    name = labels.get(day, "")
    before = day - timedelta(days=1)
    if before in holidays and labels.get(before, "") == name:
        return None
    return name


def greetings_due(
    day: date,
    customers: Iterable[Reachable],
    *,
    birthdays: bool,
    holiday: str | None,
    holiday_tags: Iterable[str],
    already: set[tuple[object, str]] | None = None,
) -> list[Greeting]:
    """The greetings due on the site day `day`: a birthday greeting for each customer born on
    one of `birthdays_on(day)` (when birthdays are on), a holiday greeting on a holiday for each
    customer tagged with one of `holiday_tags`; none already in `already` (customer, key)."""
    born = set(birthdays_on(day))
    tags = set(holiday_tags)
    done = already or set()
    due: list[Greeting] = []
    for customer in sorted(customers, key=lambda c: str(c.customer_id)):
        wanted: list[Greeting] = []
        if (
            birthdays
            and customer.birthday
            and (customer.birthday.month, customer.birthday.day) in born
        ):
            wanted.append(Greeting(customer, f"birthday:{day.year}"))
        if holiday is not None and tags.intersection(customer.tags):
            wanted.append(Greeting(customer, f"holiday:{day.isoformat()}", holiday))
        due.extend(g for g in wanted if (customer.customer_id, g.occasion) not in done)
    return due


def address_for(
    customer: Reachable, channel: str | None = None, *, can_sms: bool = True
) -> Address | Skip:
    """Where a care message to this customer goes, or why it cannot go.

    `channel` forces sms or email; else the preferred channel: sms (and voice, which cannot
    carry text) go to a mobile, email to an email address; when the preferred way is missing
    (or the number sent STOP) the other one serves. A customer who asked for no care
    messages gets none. `can_sms` False (the site has no SMS number to send from): email
    serves when there is one, else `Skip.NO_SENDER` — the site's gap, not the customer's."""
    if customer.care_opted_out:
        return Skip.CARE_OPTED_OUT
    mobiles = [p for p in customer.phones if takes_sms(p)]
    sms = None if not mobiles or customer.sms_opted_out else Address("sms", mobiles[0])
    if sms is not None and not can_sms and channel != "email":
        # A forced SMS stays SMS; otherwise the customer's email serves while SMS cannot.
        if channel is None and customer.emails:
            return Address("email", customer.emails[0])
        return Skip.NO_SENDER
    email = Address("email", customer.emails[0]) if customer.emails else None
    if channel == "sms":
        order = [sms]
    elif channel == "email":
        order = [email]
    elif customer.preferred_channel == "email":
        order = [email, sms]
    else:
        order = [sms, email]
    for found in order:
        if found is not None:
            return found
    stopped = mobiles and customer.sms_opted_out and channel != "email"
    return Skip.OPTED_OUT if stopped else Skip.NO_ADDRESS


def locale_of(language: str) -> str:
    """The catalog a customer's message is written in: Chinese for any zh tag, else English."""
    tag = language.strip().replace("_", "-").lower()
    return "zh_Hans" if tag.startswith("zh") else "en"
