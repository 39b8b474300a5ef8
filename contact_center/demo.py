"""Made-up demo data, loaded through the product's own services. No real people or numbers:
phones are in the 555-01XX range kept for fiction, emails are at example.* domains."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import timedelta

from contact_center import canned, customers, routing, tickets, users
from contact_center.audit import Actor
from contact_center.config import Settings
from contact_center.customers import Customer, NewCustomer
from contact_center.db import Pool
from contact_center.demo_accounts import load_demo_accounts
from contact_center.demo_care import load_demo_care
from contact_center.demo_complaints import load_demo_complaints
from contact_center.demo_health import load_demo_health
from contact_center.demo_visits import load_demo_visits
from contact_center.routing.hours import ALWAYS
from contact_center.tickets import Channel, InboundContact, Status
from contact_center.timeutil import utc_now
from contact_center.users import Role

DEMO = Actor.system("demo")
DEMO_PASSWORD = "demo-password"
STAFF = [
    ("admin@example.com", "Ada Admin", Role.ADMIN),
    ("supervisor@example.com", "Sam Supervisor", Role.SUPERVISOR),
    ("manager1@example.com", "Mia Manager", Role.ACCOUNT_MANAGER),
    ("manager2@example.com", "Max Manager", Role.ACCOUNT_MANAGER),
    ("manager3@example.com", "Mei Manager", Role.ACCOUNT_MANAGER),
    *(
        (f"agent{n}@example.com", f"Agent {name}", Role.AGENT)
        for n, name in enumerate(["Ash", "Bo", "Cy", "Di", "Ed", "Flo"], start=1)
    ),
]
FIRST = [
    "Avery",
    "Blair",
    "Casey",
    "Dana",
    "Eden",
    "Finley",
    "Gray",
    "Harper",
    "Indy",
    "Jules",
    "Kai",
    "Lane",
    "Morgan",
    "Noel",
    "Oakley",
    "Parker",
    "Quinn",
    "Reese",
    "Sage",
    "Tatum",
    "晓明",
    "丽华",
    "建国",
    "春燕",
    "志强",
]
LAST = [
    "Ashdown",
    "Brookfield",
    "Copperleaf",
    "Dunmore",
    "Elmsworth",
    "Fairholm",
    "Glenrock",
    "Hollowell",
    "Ivybridge",
    "Juniper",
    "Kestrel",
    "Larchmont",
    "Millbrook",
    "Northcott",
    "Oakhurst",
    "Pinecrest",
    "Quarrydale",
    "Ravenscroft",
    "Stonemere",
    "Thornbury",
    "王",
    "李",
    "张",
    "刘",
    "陈",
]
ORG_WORDS = [
    "Harbor",
    "Maple",
    "Summit",
    "River",
    "Lantern",
    "Copper",
    "Meadow",
    "Granite",
    "Willow",
    "Beacon",
    "Cedar",
    "Orchard",
    "Falcon",
    "Juniper",
    "Saffron",
    "Tidewater",
]
ORG_KINDS = [
    "Bakery",
    "Hardware",
    "Pharmacy",
    "Grocers",
    "Café",
    "Books",
    "Garden Supply",
    "Print Shop",
    "Bike Works",
    "Deli",
    "Florist",
    "Tea House",
]
AREA_CODES = ["201", "202", "212", "213", "305", "312", "415", "503", "617", "702", "718", "808"]
TERRITORIES = ["North", "East", "South", "West", "Center"]
# Where each territory lies (made-up coordinates around one city); its route weekday is its
# position in TERRITORIES (North on Mondays).
TERRITORY_CENTRES = [
    (40.80, -73.95),
    (40.72, -73.86),
    (40.62, -73.97),
    (40.72, -74.08),
    (40.72, -73.97),
]
# 48 names from ORG_WORDS x ORG_KINDS before one repeats.
ORGANIZATIONS = 48
MESSAGES = [
    (
        "The delivery arrived late again and two boxes were broken. I want to complain.",
        "Late delivery",
    ),
    ("Please send me a quote for 40 cases of the spring order.", "Spring order quote"),
    ("What are your opening hours on public holidays?", ""),
    ("I was charged twice for invoice 2231, please refund one payment.", "Double charge"),
    ("Can I change the delivery address for my next order?", ""),
    ("店员态度很差，我要投诉。", "服务投诉"),
    ("请问这个月的订单什么时候发货？", "订单发货"),
    ("Thanks for the quick help last week! One more question about returns.", ""),
    ("The product stopped working after two days. This is unacceptable.", "Faulty product"),
    ("Do you have the new catalogue? We would like to order more.", "Catalogue"),
]


@dataclass(frozen=True)
class DemoSummary:
    loaded: bool
    customers: int
    tickets: int


CANNED = [
    {
        "title": "Delivery delayed",
        "body": "Hello {customer_name}, your delivery is running late; we will update you on "
        "ticket #{ticket_number} today. {agent_name}",
    },
    {
        "title": "Refund started",
        "body": "Hi {customer_name}, we have started your refund. It shows on your account "
        "within 5 working days. Ticket #{ticket_number}. {agent_name}",
        "channel": "email",
    },
    {
        "title": "Short thanks",
        "body": "Thanks {customer_name}, noted on #{ticket_number}.",
        "channel": "sms",
    },
    {
        "title": "配送延迟",
        "body": "{customer_name}您好，您的订单配送有所延迟，我们今天会在工单 #{ticket_number} "
        "中向您更新进展。{agent_name}",
        "language": "zh",
    },
    {
        "title": "已收到",
        "body": "{customer_name}您好，已收到您的消息，工单号 #{ticket_number}。",
        "channel": "sms",
        "language": "zh",
    },
]


def _phone(rng: random.Random, used: set[str]) -> str:
    while True:
        number = f"+1{rng.choice(AREA_CODES)}5550{rng.randint(100, 199)}"
        if number not in used:
            used.add(number)
            return number


# The queues each demo agent works (their inbox's "my queues"), and tags agents put on tickets.
DEMO_QUEUES = [["general", "order"], ["complaint"], ["order", "general"]]
DEMO_TAGS = ["callback", "invoice", "delivery", "vip", "warranty"]


async def _demo_routing(pool: Pool, agents: list[users.User], managers: list[users.User]) -> None:
    """Demo queues open around the clock, so calls can be tried at any hour; each agent has
    the skills of the queues they work, account managers those of every queue."""
    now = utc_now()
    queues = await routing.list_queues(pool)
    for queue in queues:
        await routing.update_queue(pool, DEMO, queue.name, {"hours": ALWAYS}, now=now)
    skills = {q.name: q.skills for q in queues}
    for n, agent in enumerate(agents):
        worked = DEMO_QUEUES[n % len(DEMO_QUEUES)]
        own = sorted({s for name in worked for s in skills.get(name, [])})
        await routing.update_agent(pool, DEMO, agent.id, {"skills": own}, now=now)
    every = sorted({s for found in skills.values() for s in found})
    for manager in managers:
        await routing.update_agent(pool, DEMO, manager.id, {"skills": every}, now=now)


async def load_demo_if_empty(
    pool: Pool, settings: Settings, *, seed: int = 7, size: int = 300
) -> DemoSummary:
    """Load demo users, organizations, customers and tickets into a database with no customers."""
    if await customers.search_customers(pool, None, region=settings.default_phone_region, limit=1):
        return DemoSummary(loaded=False, customers=0, tickets=0)
    rng = random.Random(seed)
    existing = {u.email: u for u in await users.list_users(pool)}
    staff = {
        email: existing.get(email)
        or await users.create_user(
            pool,
            DEMO,
            email=email,
            role=role,
            password=DEMO_PASSWORD,
            name=name,
            passwords=users.passwords_for(settings),
        )
        for email, name, role in STAFF
    }
    managers = [u for u in staff.values() if u.role is Role.ACCOUNT_MANAGER]
    agents = [u for u in staff.values() if u.role is Role.AGENT]
    for n, agent in enumerate(agents):
        await users.set_queues(pool, DEMO, agent.id, DEMO_QUEUES[n % len(DEMO_QUEUES)])
    await _demo_routing(pool, agents, managers)
    orgs = []
    for n in range(ORGANIZATIONS):
        tier = "A" if n < 20 else "B" if n < 38 else "C"
        # A route is a territory walked on one weekday: its shops lie near each other.
        territory = n % len(TERRITORIES)
        centre = TERRITORY_CENTRES[territory]
        orgs.append(
            await customers.create_organization(
                pool,
                DEMO,
                {
                    "name": f"{ORG_WORDS[n % len(ORG_WORDS)]} {ORG_KINDS[n % len(ORG_KINDS)]}",
                    "tier": tier,
                    "is_key_account": tier == "A",
                    "account_manager_id": _demo_manager(managers, n, tier),
                    "route_territory": TERRITORIES[territory],
                    "route_weekday": territory + 1,
                    "area": TERRITORIES[territory],
                    "company_size": rng.choice(["small", "medium", "large"]),
                    "latitude": round(centre[0] + rng.uniform(-0.03, 0.03), 5),
                    "longitude": round(centre[1] + rng.uniform(-0.04, 0.04), 5),
                },
            )
        )
    used: set[str] = set()
    people = []
    for n in range(size):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        org = orgs[n % len(orgs)] if n < 160 else None
        email = (
            f"{first.lower()}.{last.lower()}{n}@example.org"
            if first.isascii() and last.isascii()
            else f"customer{n}@example.net"
        )
        people.append(
            await customers.create_customer(
                pool,
                DEMO,
                NewCustomer(
                    name=f"{first} {last}",
                    phones=[_phone(rng, used)],
                    emails=[email],
                    fields={
                        "organization_id": str(org.id) if org else None,
                        "preferred_channel": rng.choice(["sms", "email", "voice"]),
                        "language": "zh" if not first.isascii() else "en",
                        "tags": rng.sample(["wholesale", "retail", "vip", "new", "seasonal"], 2),
                        # An individual's account is personal: a few are worth a manager.
                        **(
                            {"tier": "B", "account_manager_id": str(managers[0].id)}
                            if org is None and n % 10 == 0
                            else {}
                        ),
                    },
                ),
                region=settings.default_phone_region,
            )
        )
    await _add_second_cards(pool, people, settings)
    opened = 0
    now = utc_now()
    for n, person in enumerate(rng.sample(people, 120)):
        text, subject = rng.choice(MESSAGES)
        channel = rng.choice([Channel.SMS, Channel.EMAIL, Channel.VOICE])
        at = now - timedelta(hours=rng.randint(1, 240))
        result = await tickets.intake(
            pool,
            InboundContact(
                channel=channel,
                provider_id=f"demo-{n}",
                display_name=person.name,
                from_address=person.emails[0] if channel is Channel.EMAIL else person.phones[0],
                to_address="support@" + settings.mail_domain
                if channel is Channel.EMAIL
                else "+12025550100",
                subject=subject if channel is Channel.EMAIL else "",
                text=text if channel is not Channel.VOICE else f"Voicemail: {text}",
            ),
            now=at,
            # Demo contacts are made up: thanking them would only fill the outbox.
            options=dataclasses.replace(tickets.intake_options(settings), acknowledge=False),
        )
        opened += result.opened_ticket
        if n % 10 == 5:
            await tickets.update_ticket(pool, DEMO, result.ticket_id, {"kind": "other"}, now=now)
        if n % 7 == 2:
            tags = rng.sample(DEMO_TAGS, 1 + n % 2)
            await tickets.update_ticket(pool, DEMO, result.ticket_id, {"tags": tags}, now=now)
        if n % 3 == 0:
            agent = agents[n % len(agents)]
            status = rng.choice([Status.OPEN, Status.PENDING, Status.RESOLVED])
            await tickets.update_ticket(
                pool,
                DEMO,
                result.ticket_id,
                {"assignee_id": str(agent.id), "status": status.value},
                now=now,
            )
    await canned.seed_canned(pool, DEMO, CANNED, now=now)
    # people[0] belongs to the first organization, a key account.
    opened += await load_demo_complaints(pool, DEMO, settings, people, agents)
    await load_demo_care(pool, DEMO, settings, people)
    await load_demo_accounts(pool, DEMO, settings, orgs)
    await load_demo_health(pool, now=now)  # after the values: it computes from them
    await load_demo_visits(pool, managers, [o for o in orgs if o.account_manager_id], now=now)
    return DemoSummary(loaded=True, customers=len(people), tickets=opened)


def _demo_manager(managers: list[users.User], n: int, tier: str) -> str | None:
    """Tier C has no manager; the first manager, the senior one, holds most key accounts (a full
    week to show), the others share the rest."""
    if tier == "C":
        return None
    if tier == "A" and n % 4 != 3:
        return str(managers[0].id)
    return str(managers[1 + n % (len(managers) - 1)].id)


async def _add_second_cards(pool: Pool, people: list[Customer], settings: Settings) -> None:
    """A few people who wrote in again from a work address, so that the duplicates page has
    suggestions to review: the same email name at another domain, in the same organization."""
    firsts = [p for p in people if p.organization_id and p.emails[0].endswith("@example.org")]
    for person in firsts[:4]:
        local = person.emails[0].split("@")[0]
        await customers.create_customer(
            pool,
            DEMO,
            NewCustomer(
                name=person.name,
                phones=[],
                emails=[f"{local}@example.com"],
                fields={"organization_id": str(person.organization_id), "language": "en"},
            ),
            region=settings.default_phone_region,
        )


def describe(summary: DemoSummary, settings: Settings) -> str:
    head = (
        f"demo data loaded: {summary.customers} customers, {summary.tickets} tickets"
        if summary.loaded
        else "demo data: the database already has customers, nothing loaded"
    )
    logins = (
        "\n".join(f"  {role:<16} {email}" for email, _, role in STAFF[:4])
        + "\n  agent            agent1@example.com … agent6@example.com"
    )
    return (
        f"{head}\nAPI: {settings.public_url}/api/v1 (OpenAPI at /api/v1/openapi.json)\n"
        f"demo users (password: {DEMO_PASSWORD}):\n{logins}\n"
        f"API token: .venv/bin/contact-center token create --email admin@example.com"
    )
