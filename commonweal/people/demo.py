"""Demo relational practice: about 2,000 residents on the teams' caseloads, with their conversations,
plans, connections through their lifecycle and ONS4 answers that differ by need and deprivation.

Written in bulk (the services would take minutes for this many records), but with what the
services write: a support consent for everyone, consent to share before every referral, the SNOMED
CT code on each referral and decline, a connection event for each move, baseline then follow-up
wellbeing answers, and one audit event for the load (the trail names no one).
"""

import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation, create_team
from commonweal.audit.models import Action
from commonweal.audit.services import record

from .instruments import ONS4
from .models import (
    SNOMED_DECLINED,
    SNOMED_REFERRAL,
    Connection,
    ConnectionEvent,
    Consent,
    Conversation,
    EndReason,
    Goal,
    Instrument,
    LawfulBasis,
    LifeDomain,
    Person,
    Plan,
    PracticePolicy,
    Purpose,
    Status,
    Step,
    WellbeingResponse,
)
from .models.practice import Setting
from .nhs import nhs_check_digit
from .services import link_account, load_instrument

RESIDENTS = 2000


def _words(text: str) -> list[str]:
    return text.split()


TODAY = date.today()

FIRST = _words(
    "Rhiannon Siân Dylan Gethin Cerys Mair Iolo Ffion Connor Aoife Siobhan Patrick Amina Yusuf Bilal Ayesha "
    "Priya Arjun Deepa Rajesh Kasia Tomasz Agnieszka Piotr Grace Chinedu Ngozi Tunde Olivia Jack Emily Harry "
    "Sophie George Margaret Arthur Doreen Kenneth Joan Brian Maureen Derek Shirley Leon Jade Kyle Chantelle"
)
LAST = _words(
    "Evans Jones Williams Davies Llewelyn Hughes Walsh Murphy O'Brien Khan Hussain Patel Begum Shah Ahmed "
    "Nowak Kowalski Wiśniewska Okafor Adeyemi Mensah Smith Taylor Brown Wilson Hall Wright Turner Hughes "
    "Fairclough Heyes Ashurst Winstanley Pennington Unsworth Marsden Bithell"
)
# What matters, in people's words; the directory's search reads these (words listings do not use).
WHAT_MATTERS = [
    ("Lonely since her husband died; misses having someone to talk to", ["relationships", "mind"]),
    ("Wants to get out of the house more and walk with others", ["health", "community"]),
    ("Skint after the benefits change; worried about the gas bill", ["money", "home"]),
    ("Can't face people since the redundancy; would like to volunteer", ["work", "mind"]),
    ("Caring for his mum and never gets a break", ["caring", "mind"]),
    ("Wants to learn to use the computer to video call the grandchildren", ["learning", "relationships"]),
    ("Not eating properly; struggling with food shopping", ["food", "money"]),
    ("Used to love gardening and would like a bit of green space again", ["community", "health"]),
    ("Wants to get back into work after being off sick", ["work", "learning"]),
    ("Feels unsafe on the estate after dark", ["safety", "home"]),
    ("Would like to sing in a choir like she used to", ["community", "mind"]),
    ("Can't get to appointments since giving up driving", ["getting_about", "health"]),
]
STRENGTHS = [
    ("Good with his hands; fixed bikes for years", "Football, fishing", "Close to his sister"),
    ("Great cook; raised five children", "Baking, soaps", "Neighbour pops in"),
    ("Speaks three languages", "Cricket, cooking", "Friends at the mosque"),
    ("Was a school cook; organised", "Knitting, bingo", "Daughter nearby"),
    ("Drives; used to run a youth team", "Music, history", "Old workmates"),
]
GOALS = [
    ("Get out of the house twice a week", ["Go to the walking group", "Ask a neighbour to come along"]),
    ("Sort out the money worries", ["Book a benefits check", "Bring letters to the next visit"]),
    ("Make some new friends", ["Try the lunch club", "Phone the befriending service"]),
    ("Feel useful again", ["Visit the volunteer centre", "Try one shift at the pantry"]),
    ("Get a break from caring", ["Carers' assessment", "Find a sitting service"]),
]


def build(context: Any) -> None:
    # Dates run back from the day the demo is built, so follow-ups and answer deadlines fall due now.
    global TODAY
    TODAY = timezone.localdate()
    place = context.place
    rng = random.Random(context.seed + 8)
    users = context.objects["users"]
    teams = _teams_by_district(place, context.objects["teams"])
    worker_of = {
        context.objects["teams"][0].pk: [users["connector"], users["teamlead"]],
        context.objects["teams"][1].pk: [users["connector2"]],
    }
    postcodes = list(
        place.postcodes.filter(terminated=False)
        .select_related("neighbourhood")
        .values_list("postcode", "neighbourhood_id", "neighbourhood__district_id", "neighbourhood__imd_decile")
    )
    # More people are supported where deprivation is higher (the demand is there, not a threshold).
    weights = [12 - (decile or 5) for *_rest, decile in postcodes]
    targets = _targets(place, context, rng)
    ons4 = Instrument.objects.filter(code="ons4").first() or load_instrument(ONS4, by=None)
    PracticePolicy.objects.get_or_create(place=place)

    people = []
    for _ in range(RESIDENTS):
        postcode, neighbourhood_id, district_id, decile = rng.choices(postcodes, weights)[0]
        team = teams.get(district_id) or teams[None]
        workers = worker_of.get(team.pk, [])
        born = TODAY - timedelta(days=rng.randint(18 * 365, 92 * 365))
        people.append(
            Person(
                place=place,
                team=team,
                worker=rng.choice(workers) if workers else None,
                full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                date_of_birth=born,
                postcode=postcode,
                neighbourhood_id=neighbourhood_id,
                nhs_number=_nhs_number(rng) if rng.random() < 0.6 else "",
                contact_methods=rng.sample(["phone", "text", "letter", "visit", "email"], rng.randint(1, 2)),
                phone=f"01942 {rng.randint(100000, 999999)}",
                languages=rng.choice(["English", "English", "English", "English, Polish", "English, Urdu", "Welsh"]),
                created_at=timezone.now(),
            )
        )
        people[-1]._decile = decile or 5  # type: ignore[attr-defined]
    Person.objects.bulk_create(people, batch_size=500)
    counts = _histories(place, people, rng, targets, ons4, users)
    resident = _link_demo_resident(place, people, users)
    record(
        None,
        Action.CREATED,
        place,
        place=place,
        purpose="demo data",
        object_repr="people demo",
        detail={"people": len(people), **counts},
    )
    context.objects["people"] = {"resident_record": resident}
    context.log(
        f"  {len(people)} people, {counts['conversations']} conversations, {counts['connections']} connections, "
        f"{counts['wellbeing']} wellbeing responses"
    )


def _teams_by_district(place: Any, existing: list[Any]) -> dict[Any, Any]:
    """A connectors' team for every district (the accounts demo makes the first two)."""
    teams = {t.district_id: t for t in existing if t.district_id}
    council = existing[0].organisation
    for district in place.districts.order_by("code"):
        if district.pk not in teams:
            teams[district.pk] = create_team(
                f"{district.name} Community Connectors", organisation=council, place=place, by=None, district=district
            )
    teams[None] = existing[0]  # postcodes outside any district go to the first team
    return teams


def _targets(place: Any, context: Any, rng: random.Random) -> list[dict[str, Any]]:
    """What people can be connected with: the directory's offers if its demo made any, and groups."""
    targets: list[dict[str, Any]] = []
    try:
        from commonweal.directory.models import Service

        for service in Service.objects.filter(place=place, status="active").select_related("organisation")[:200]:
            targets.append({"kind": "offer", "service": service, "provider": service.organisation})
    except ImportError:  # pragma: no cover - the directory app is always installed with this one
        pass
    groups = [
        create_organisation(name, Organisation.Kind.COMMUNITY_GROUP, place=place, by=None)
        for name in ("Brackley Moss Knit and Natter", "Leyfield Allotment Friends", "Tanners Brook Community Choir")
    ]
    targets += [{"kind": "group", "group": g, "provider": g} for g in groups]
    # The demo provider's organisation receives referrals whatever the directory holds, so its inbox has work.
    vcse = context.objects["vcse"][0]
    if not any(t["provider"] == vcse for t in targets):
        targets.append({"kind": "group", "group": vcse, "provider": vcse})
    return targets


def _nhs_number(rng: random.Random) -> str:
    while True:
        first = f"{rng.randint(400000000, 799999999)}"
        check = nhs_check_digit(first)
        if check is not None:
            return f"{first}{check}"


def _clamp(value: float) -> int:
    return max(0, min(10, round(value)))


def _histories(
    place: Any, people: list[Person], rng: random.Random, targets: list[dict[str, Any]], ons4: Any, users: Any
) -> dict[str, int]:
    consents, conversations, wellbeing, connections, plans = [], [], [], [], []
    plan_goals: list[tuple[Plan, list[tuple[str, list[str]]]]] = []
    follow_ups: dict[int, date] = {}
    provider_user = users["provider"]
    for person in people:
        need = rng.randint(1, 5)  # how many parts of life are hard just now
        decile = person._decile  # type: ignore[attr-defined]
        started = TODAY - timedelta(days=rng.randint(20, 400))
        consents.append(_consent(person, Purpose.SUPPORT, started, None))
        if rng.random() < 0.3:
            consents.append(_consent(person, Purpose.RESEARCH, started, None))
        visits = [started]
        while len(visits) < 5 and rng.random() < 0.75:
            following = visits[-1] + timedelta(days=rng.randint(21, 70))
            if following > TODAY:  # nothing is recorded in the future
                break
            visits.append(following)
        matters = rng.sample(WHAT_MATTERS, min(need, 3))
        for day in visits:
            text, domains = rng.choice(matters)
            skills, interests, relationships = rng.choice(STRENGTHS)
            conversations.append(
                Conversation(
                    person=person,
                    place=place,
                    held_on=day,
                    worker=person.worker,
                    setting=rng.choice(Setting.values),
                    what_matters=text,
                    skills=skills,
                    interests=interests,
                    relationships=relationships,
                    worries=rng.choice(["", "Money", "Her health", "Being a burden"]),
                    want_to_change=rng.choice(["Get out more", "Feel less alone", "Sort the debts", "Be useful"]),
                    life_domains=[d for d in domains if d in LifeDomain.values],
                )
            )
        # Connections: more for people with more going on; outcomes a little worse where deprivation is deep.
        sustained = 0
        for _ in range(min(3, rng.randint(0, need))):
            target = rng.choice(targets)
            moves = _lifecycle(rng, decile)
            sustained += Status.SUSTAINED in moves
            suggested_on = min(visits[0] + timedelta(days=rng.randint(0, 20)), TODAY - timedelta(days=15))
            connection = Connection(
                person=person,
                place=place,
                kind=target["kind"],
                service=target.get("service"),
                group=target.get("group"),
                provider=target["provider"],
                reason=matters[0][0],
                made_by=person.worker,
            )
            connection._moves = moves  # type: ignore[attr-defined]
            connection._start = suggested_on  # type: ignore[attr-defined]
            connection._provider_user = provider_user  # type: ignore[attr-defined]
            connections.append(connection)
            if Status.REFERRED in moves:
                consents.append(_consent(person, Purpose.SHARING, suggested_on, target["provider"]))
        # ONS4: lower at the start where needs are many and deprivation deep; better with sustained connections.
        base = 6.8 - 0.45 * need - 0.15 * (10 - decile)
        gain = 0.5 + 0.9 * sustained + rng.gauss(0, 0.6)
        for n, day in enumerate(visits):
            progress = gain * n / max(1, len(visits) - 1) if n else 0
            shift = base + progress + rng.gauss(0, 0.7)
            wellbeing.append(
                WellbeingResponse(
                    person=person,
                    place=place,
                    instrument=ons4,
                    taken_on=day,
                    occasion="baseline" if n == 0 else "follow_up",
                    scores={
                        "life_satisfaction": _clamp(shift),
                        "worthwhile": _clamp(shift + 0.6 + rng.gauss(0, 0.8)),
                        "happiness": _clamp(shift + rng.gauss(0, 1.0)),
                        "anxiety": _clamp(7.4 - shift * 0.6 + 0.3 * need + rng.gauss(0, 1.2)),
                    },
                    recorded_by=person.worker,
                )
            )
        follow_ups[person.pk] = visits[-1] + timedelta(days=28)
        if rng.random() < 0.7:
            plan = Plan(person=person, place=place, updated_by=person.worker)
            plans.append(plan)
            plan_goals.append((plan, rng.sample(GOALS, rng.randint(1, 3))))
    Consent.objects.bulk_create(consents, batch_size=1000)
    Conversation.objects.bulk_create(conversations, batch_size=1000)
    WellbeingResponse.objects.bulk_create(wellbeing, batch_size=1000)
    _save_connections(connections)
    _save_plans(plans, plan_goals, rng)
    _set_follow_ups(follow_ups)
    return {
        "conversations": len(conversations),
        "connections": len(connections),
        "wellbeing": len(wellbeing),
        "plans": len(plans),
        "consents": len(consents),
    }


def _consent(person: Person, purpose: str, given_on: date, organisation: Any) -> Consent:
    return Consent(
        person=person,
        place=person.place,
        purpose=purpose,
        organisation=organisation,
        lawful_basis=LawfulBasis.CONSENT,
        given_on=given_on,
        recorded_by=person.worker,
    )


def _lifecycle(rng: random.Random, decile: int) -> list[str]:
    """The moves a connection made after it was suggested, ending where it is now."""
    path = [Status.SUGGESTED]
    if rng.random() < 0.12:
        return [*path, Status.ENDED] if rng.random() < 0.5 else path
    path.append(Status.REFERRED)
    roll = rng.random()
    if roll < 0.12:
        return path  # waiting for the provider's answer (some overdue)
    if roll < 0.22:
        return [*path, Status.DECLINED]
    path.append(Status.ACCEPTED)
    if rng.random() < 0.15 + 0.02 * (10 - decile):
        return [*path, Status.ENDED]  # accepted but never went
    path.append(Status.ATTENDED)
    if rng.random() < 0.6:
        path.append(Status.SUSTAINED)
    if rng.random() < 0.3:
        path.append(Status.ENDED)
    return path


def _save_connections(connections: list[Connection]) -> None:
    """Set each connection's fields from its moves, save them in bulk, then one event per move."""
    for c in connections:
        day: date = c._start  # type: ignore[attr-defined]
        moves: list[str] = c._moves  # type: ignore[attr-defined]
        c._events = []  # type: ignore[attr-defined]
        for status in moves:
            code = ""
            if status == Status.REFERRED:
                c.referred_on, c.respond_by = day, day + timedelta(days=10)
                code = c.snomed_code = SNOMED_REFERRAL
            elif status in (Status.ACCEPTED, Status.DECLINED):
                c.responded_on = day
                if status == Status.DECLINED:
                    code = c.snomed_code = SNOMED_DECLINED
                    c.response_note = "No places left this term"
            elif status == Status.ATTENDED:
                c.attended_on = day
            elif status == Status.SUSTAINED:
                c.sustained_on = day
            elif status == Status.ENDED:
                c.ended_on = day
                c.end_reason = EndReason.COMPLETED if c.attended_on else EndReason.NOT_WANTED
            c._events.append((status, day, code))  # type: ignore[attr-defined]
            day = min(day + timedelta(days=7 if status != Status.ATTENDED else 84), TODAY)
        c.status = moves[-1]
        c.version = len(moves)
    Connection.objects.bulk_create(connections, batch_size=1000)
    events = [
        ConnectionEvent(
            connection=c,
            status=status,
            on=on,
            snomed_code=code,
            by=c._provider_user if status in (Status.ACCEPTED, Status.DECLINED) else c.made_by,  # type: ignore[attr-defined]
        )
        for c in connections
        for status, on, code in c._events  # type: ignore[attr-defined]
    ]
    ConnectionEvent.objects.bulk_create(events, batch_size=2000)


def _save_plans(plans: list[Plan], plan_goals: list[tuple[Plan, list[Any]]], rng: random.Random) -> None:
    Plan.objects.bulk_create(plans, batch_size=1000)
    goals, step_texts = [], []
    for plan, chosen in plan_goals:
        for text, steps in chosen:
            goal = Goal(plan=plan, description=text, achieved_on=TODAY if rng.random() < 0.25 else None)
            goals.append(goal)
            step_texts.append(steps)
    Goal.objects.bulk_create(goals, batch_size=1000)
    owners = [Step.Owner.PERSON, Step.Owner.WORKER]
    steps = [
        Step(
            goal=goal,
            description=text,
            owner=owners[i % 2],
            due_on=TODAY + timedelta(days=rng.randint(-20, 40)),
            progress=rng.choice(Step.Progress.values[:3]),
        )
        for goal, texts in zip(goals, step_texts, strict=True)
        for i, text in enumerate(texts)
    ]
    Step.objects.bulk_create(steps, batch_size=2000)


def _set_follow_ups(follow_ups: dict[int, date]) -> None:
    by_day: dict[date, list[int]] = {}
    for pk, day in follow_ups.items():
        by_day.setdefault(day, []).append(pk)
    for day, pks in by_day.items():
        Person.objects.filter(pk__in=pks).update(next_contact_on=day)


def _link_demo_resident(place: Any, people: list[Person], users: Any) -> Person:
    """The demo resident (Rhiannon Evans) has a record on the first team's caseload, linked to her account."""
    resident = users["resident"]
    person = next(p for p in people if p.team_id == users["connector"].memberships.first().team_id)
    Person.objects.filter(pk=person.pk).update(full_name=resident.full_name)
    person.full_name = resident.full_name
    return link_account(person, resident, by=None)
