"""Demo content for the mentoring programme (issue 20, part 1): six colleagues besides the
demo users (they hold no password and cannot sign in; they are the people the programme
matches), their mentor, reverse-mentor, advisor and mentee profiles imported as a
coordinator would, three pairings (two active with sessions this quarter, one proposed and
waiting for approval) and a touchpoint planned against a product launch. Written through
the mentoring service, so every text is redacted and audited; seeding again adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from playbook.models import Role
from playbook.ports.mentoring import Cycle, ProfileRole
from playbook.services.mentoring.cadence import quarter

if TYPE_CHECKING:
    from playbook.wiring import Container

PEOPLE = (
    ("maya", "Maya Okafor"),
    ("tariq", "Tariq Haddad"),
    ("lena", "Lena Brandt"),
    ("zoe", "Zoe Tran"),
    ("kai", "Kai Mensah"),
    ("noor", "Noor Aziz"),
)
PROFILES = """username,role,expertise,industries,functions,markets,style,languages,capacity,availability,seniority,manager,conflicts,goals,objectives
maya,mentor,Pricing strategy and negotiating with large retail customers,retail,Sales;Finance,APAC,coaching,en;fr,2,Tuesday mornings,8,,,,
tariq,mentor,Building data platforms and analytics teams; moving systems to the cloud,technology,Technology;Operations,EMEA,directive,en;ar,2,Fortnightly,8,,,,
lena,advisor,Board governance and market entry in South-East Asia,logistics,Strategy,APAC;Indonesia,challenging,en;de,3,Monthly calls,9,,,,
zoe,reverse_mentor,How younger customers discover and buy products through social media,consumer,Marketing,APAC,coaching,en,2,Thursdays,2,,,,
kai,mentee,,,Sales;Finance,APAC,coaching,en,,,6,tariq,,Grow margin in APAC,Negotiate annual terms with our two largest retailers | Grow margin in APAC;Understand what younger shoppers expect from our brand online | Grow share with under-30s
noor,mentee,,,Technology,EMEA,directive,en,,,5,,,Run on data,Lead the move of our reporting to a shared data platform | Run on data
"""  # noqa: E501 - a CSV file's lines


def seed_mentoring(c: Container, programme: str = "default") -> bool:
    """Add the demo colleagues, profiles, pairings and sessions once.

    Args:
        c: The container of the demo store.
        programme: The demo programme's slug.

    Returns:
        True when anything was added.
    """
    m = c.mentoring
    pid = c.administration.programme_id(programme)
    known = c.records.user_ids([u for u, _ in PEOPLE])
    if len(known) == len(PEOPLE) and m.profiles_store.profiles(pid, user_id=known["kai"]):
        return False
    for username, name in PEOPLE:
        if username not in known:
            c.records.add_user(username, name, [Role.LEADER], programme)
    cora = c.administration.principal("cora")
    report = m.import_profiles(cora, programme, PROFILES.encode())
    if report.errors:
        raise RuntimeError(f"demo mentoring profiles failed to import: {report.errors[0]}")
    today = dt.date.today()
    start = quarter(today)[0]
    # Sessions on days already past in this quarter, so "x of y this quarter" shows them.
    days = sorted({max(start, today - dt.timedelta(days=d)) for d in (1, 15)})
    for mentor, mentee, role, held in (
        ("maya", "kai", ProfileRole.MENTOR, days),
        ("zoe", "kai", ProfileRole.REVERSE_MENTOR, days[:1]),
    ):
        pairing = m.propose(cora, programme, mentor, mentee, role, 2)
        m.approve(cora, pairing)
        for person in (mentor, mentee):
            m.accept(c.administration.principal(person), pairing)
        for day in held:
            m.log_session(c.administration.principal(mentee), pairing, day)
        if mentor == "maya":
            m.plan_touchpoint(
                c.administration.principal(mentor),
                pairing,
                today + dt.timedelta(days=21),
                Cycle.PRODUCT_LAUNCH,
                "Before the APAC price list goes live",
            )
    m.propose(cora, programme, "tariq", "noor", ProfileRole.MENTOR, 3)
    return True
