"""Demo data of the Deal: the council's eight pledges beside everyone else's, a year of contributions
from every sector, and a year of time-bank exchanges.

Pledges, the council's rate and the first members go through the services. The year's volume
(contributions, members, exchanges) is bulk-inserted, valued, posted and balanced exactly as the
services would (the tests check the result reconciles), with more giving in the most deprived areas'
community groups and more time-bank activity where neighbours know each other.
"""

import random
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.services import create_organisation

from . import services, timebank
from .models import Contribution, Exchange, HourPosting, MoneyPosting, Sector, TimeBankMember
from .models.ledger import Basis
from .valuation import DEFAULT_TIME_RATE, value_of_minutes

COUNCIL_PLEDGES = [
    ("Keep your council tax among the lowest in the region", "Council tax rise compared with the region each year"),
    ("Invest in communities: a fund for the ideas of local groups", "Money granted, groups funded, by neighbourhood"),
    (
        "Be open and honest: publish what we spend and what we decide",
        "Spending over £500 and decisions published monthly",
    ),
    ("Listen to you and act on what you say", "What residents told us, and what changed, each quarter"),
    ("Give every child the best start in life", "Children ready for school at five"),
    ("Help you be healthy and stay independent at home", "Healthy life expectancy in the most deprived areas"),
    ("Create opportunities for young people: jobs, apprenticeships, things to do", "Apprenticeships started"),
    ("Make our services easy to reach, online and in person", "Calls answered first time; services online"),
]
RESIDENT_PLEDGES = [
    "Recycle more and waste less",
    "Volunteer an hour a week",
    "Be more active: walk or cycle the short journeys",
    "Look out for an older neighbour",
    "Take part: come to one community meeting a term",
    "Use council services online when I can",
    "Read with my children every day",
    "Keep my street free of litter",
]
PARTNER_PLEDGES = {
    "nhs": ("Offer a social prescription in every GP practice", "Referrals to community offers each month"),
    "business": ("Hire and buy locally: half of our spending in the borough", "Share of spend with local suppliers"),
    "vcse": ("Open our hall free to community groups on weekdays", "Hours of free use each month"),
}
CONTRIBUTIONS_PER_YEAR = 4000
TIME_BANK_RESIDENTS = 160
EXCHANGES_PER_YEAR = 900


def build(context: Any) -> None:
    rng = random.Random(context.seed + 9)
    place, objects = context.place, context.objects
    end = date.today()
    start = end - timedelta(days=365)
    services.set_time_rate(
        place,
        by=None,
        pence_per_hour=DEFAULT_TIME_RATE.pence_per_hour,
        basis=DEFAULT_TIME_RATE.basis,
        source=DEFAULT_TIME_RATE.source,
        price_year=DEFAULT_TIME_RATE.price_year,
        valid_from=start,
    )
    groups = _community_groups(place, rng)
    pledges = _pledges(place, objects, groups, rng)
    _contributions(place, objects, groups, pledges, rng, start)
    members = _time_bank(place, objects, rng, start)
    context.objects.update({"deal_pledges": pledges, "time_bank_members": members})
    context.log(
        f"  the Deal: {len(pledges)} pledges, {Contribution.objects.filter(place=place).count():,} contributions, "
        f"{len(members)} time-bank members, {Exchange.objects.filter(place=place).count():,} exchanges"
    )


def _community_groups(place: Any, rng: random.Random) -> list[Organisation]:
    names = [
        "Friends of Leyfield Park",
        "Marsh Green Residents' Association",
        "Holt Community Choir",
        "Ashworth Allotments",
    ]
    groups = [create_organisation(n, Organisation.Kind.COMMUNITY_GROUP, place=place, by=None) for n in names]
    groups.append(
        create_organisation("Northbridge Co-operative Bakery", Organisation.Kind.BUSINESS, place=place, by=None)
    )
    return groups


def _pledges(place: Any, objects: dict[str, Any], groups: list[Organisation], rng: random.Random) -> list[Any]:
    council, users = objects["council"], objects["users"]
    pledges = [
        services.make_pledge(
            place, by=users["admin"], organisation=council, title=title, progress_measure=measure, number=number,
            due_by=date(date.today().year + 1, 3, 31),
        )
        for number, (title, measure) in enumerate(COUNCIL_PLEDGES, start=1)
    ]  # fmt: skip
    partners = {"nhs": objects["nhs"], "business": objects["business"], "vcse": objects["vcse"][0]}
    for key, (title, measure) in PARTNER_PLEDGES.items():
        pledges.append(
            services.make_pledge(place, by=None, organisation=partners[key], title=title, progress_measure=measure)
        )
    pledges.append(
        services.make_pledge(place, by=None, organisation=groups[0], title="Plant 500 trees in the park", scope="place")
    )
    resident = users["resident"]
    pledges.append(services.make_pledge(place, by=resident, user=resident, title=RESIDENT_PLEDGES[1], show_name=True))
    pledges.append(services.make_pledge(place, by=resident, user=resident, title=RESIDENT_PLEDGES[0]))
    update = "The first quarter's figures are published on the council's website."
    services.post_pledge_update(pledges[2], by=users["admin"], text=update)
    return pledges


def _contributions(
    place: Any, objects: dict[str, Any], groups: list, pledges: list, rng: random.Random, start: date
) -> None:
    """A year of giving: public grants and staff time, business sponsorship and space, VCSE and residents' time."""
    hoods = list(place.neighbourhoods.select_related("district").only("pk", "district_id", "imd_decile", "code"))
    deprived = [n for n in hoods if (n.imd_decile or 10) <= 3] or hoods
    givers = {
        Sector.PUBLIC: [objects["council"], objects["nhs"]],
        Sector.PRIVATE: [objects["business"], groups[-1]],
        Sector.VOLUNTARY: [*objects["vcse"], *groups[:-1]],
    }
    receivers = [*objects["vcse"], *groups[:-1]]
    rate = DEFAULT_TIME_RATE.pence_per_hour
    source = f"{DEFAULT_TIME_RATE.source} ({DEFAULT_TIME_RATE.price_year} prices)"
    rows = []
    for i in range(CONTRIBUTIONS_PER_YEAR):
        sector = rng.choices(list(Sector), weights=[2, 1, 3, 6])[0]
        kind = _kind(sector, rng)
        hood = rng.choice(deprived if rng.random() < 0.5 else hoods) if rng.random() < 0.85 else None
        given_on = start + timedelta(days=rng.randrange(365))
        row = Contribution(
            place=place, sector=sector, kind=kind, given_on=given_on, source=Contribution.Source.DEMO,
            external_id=f"demo-{i}", neighbourhood=hood, district=hood.district if hood else None,
            supported_organisation=rng.choice(receivers) if rng.random() < 0.7 else None,
            supported_pledge=rng.choice(pledges[:8]) if sector == Sector.PUBLIC and rng.random() < 0.5 else None,
        )  # fmt: skip
        if sector == Sector.RESIDENTS:
            row.contributor_label = rng.choice(["Volunteers", "Street champions", "Neighbours", "Donors"])
        else:
            row.contributor_organisation = rng.choice(givers[sector])
        if row.contributor_organisation_id and row.contributor_organisation_id == row.supported_organisation_id:
            row.supported_organisation = None
        _value(row, rng, rate, source)
        rows.append(row)
    Contribution.objects.bulk_create(rows, batch_size=1000)
    _post_demo_money(place, [r for r in rows if r.kind == Contribution.Kind.MONEY])


def _kind(sector: str, rng: random.Random) -> str:
    weights = {
        Sector.PUBLIC: [5, 3, 2],
        Sector.PRIVATE: [4, 2, 4],
        Sector.VOLUNTARY: [1, 7, 2],
        Sector.RESIDENTS: [1, 8, 1],
    }[Sector(sector)]
    return rng.choices([Contribution.Kind.MONEY, Contribution.Kind.TIME, Contribution.Kind.IN_KIND], weights=weights)[0]


def _value(row: Contribution, rng: random.Random, rate: int, source: str) -> None:
    if row.kind == Contribution.Kind.TIME:
        row.minutes = rng.choice([60, 90, 120, 180, 240, 360, 480]) * (
            rng.randrange(1, 6) if row.sector != Sector.RESIDENTS else 1
        )
        row.rate_pence_per_hour, row.value_pence = rate, value_of_minutes(row.minutes, rate)
        row.valuation_basis, row.valuation_source = Basis.REPLACEMENT_COST, source
        row.description = rng.choice(
            ["Befriending", "Litter pick", "Food bank shift", "Coaching", "Gardening", "Staff volunteering day"]
        )
    elif row.kind == Contribution.Kind.MONEY:
        scale = {Sector.PUBLIC: 500_000, Sector.PRIVATE: 100_000}.get(Sector(row.sector), 5_000)
        row.amount_pence = row.value_pence = rng.randrange(1_000, scale) // 100 * 100
        row.valuation_basis = Basis.CASH
        row.description = rng.choice(["Grant", "Sponsorship", "Donation", "Match funding"])
    else:
        row.in_kind_category = rng.choice(list(Contribution.InKind.values))
        row.amount_pence = row.value_pence = rng.randrange(2_000, 200_000) // 100 * 100
        row.valuation_basis = Basis.MARKET_VALUE
        row.description = {"space": "Room hire", "food": "Surplus food", "equipment": "Laptops"}.get(
            row.in_kind_category, "Materials"
        )


def _post_demo_money(place: Any, rows: list[Contribution]) -> None:
    """Two postings per money row, as `services.post_money` writes them, with each account made once."""
    keys = {key[0]: key for row in rows for key in _keys(row)}
    accounts = {code: services.account_for(place, key) for code, key in keys.items()}
    postings = []
    for row in rows:
        giver, receiver = (accounts[key[0]] for key in _keys(row))
        postings += [
            MoneyPosting(contribution=row, account=giver, amount_pence=-row.amount_pence),
            MoneyPosting(contribution=row, account=receiver, amount_pence=row.amount_pence),
        ]
    MoneyPosting.objects.bulk_create(postings, batch_size=2000)


def _keys(row: Contribution) -> tuple[Any, Any]:
    return services.contribution_giver_key(row), services.contribution_receiver_key(row)


def _time_bank(place: Any, objects: dict[str, Any], rng: random.Random, start: date) -> list[TimeBankMember]:
    """Members (the demo resident, organisations, and many residents), a year of exchanges, a few waiting."""
    users = objects["users"]
    hoods = list(place.neighbourhoods.only("pk"))
    resident = timebank.join_time_bank(place, by=users["resident"], user=users["resident"], neighbourhood=hoods[0])
    organisations = [
        timebank.join_time_bank(place, by=None, organisation=org) for org in [*objects["vcse"][:2], objects["council"]]
    ]
    for member, (kind, title) in zip(
        [resident, *organisations],
        [("offer", "Help with forms and letters"), ("request", "Drivers for the pantry van"),
         ("offer", "Lunch club cooking"), ("offer", "Room for your group on Tuesdays")],
        strict=True,
    ):  # fmt: skip
        timebank.add_listing(member, by=None, kind=kind, title=title)
    policy = timebank.policy_for(place)
    # Demo residents have no password (they cannot sign in); only the printed demo users can.
    people = User.objects.bulk_create(
        [
            User(
                email=f"timebank{i}@demo.commonweal.test",
                full_name=f"Time bank member {i}",
                password=make_password(None),
            )
            for i in range(TIME_BANK_RESIDENTS)
        ]
    )
    members = TimeBankMember.objects.bulk_create(
        [
            TimeBankMember(place=place, user=u, neighbourhood=rng.choice(hoods), floor_minutes=policy.floor_minutes,
                           ceiling_minutes=policy.ceiling_minutes)
            for u in people
        ]
    )  # fmt: skip
    everyone = [resident, *organisations, *members]
    _exchanges(place, everyone, rng, start)
    _waiting_for_the_demo_resident(resident, members[:2])
    return everyone


def _exchanges(place: Any, everyone: list[TimeBankMember], rng: random.Random, start: date) -> None:
    balances = {m.pk: m.balance_minutes for m in everyone}
    limits = {m.pk: (m.floor_minutes, m.ceiling_minutes) for m in everyone}
    planned = []
    for _ in range(EXCHANGES_PER_YEAR):
        provider, recipient = rng.sample(everyone, 2)
        minutes = rng.choice([30, 60, 60, 90, 120, 180])
        if (
            balances[recipient.pk] - minutes < limits[recipient.pk][0]
            or balances[provider.pk] + minutes > limits[provider.pk][1]
        ):
            continue  # the bank would refuse it; so does the demo
        balances[provider.pk] += minutes
        balances[recipient.pk] -= minutes
        planned.append((provider, recipient, minutes, start + timedelta(days=rng.randrange(365))))
    exchanges = Exchange.objects.bulk_create(
        [
            Exchange(place=place, provider=p, recipient=r, minutes=m, occurred_on=d, proposed_by=p,
                     description=rng.choice(["Shopping", "Gardening", "Lift to hospital", "IT help", "Dog walking"]),
                     status=Exchange.Status.COMPLETED)
            for p, r, m, d in planned
        ],
        batch_size=1000,
    )  # fmt: skip
    _settle_in_bulk(place, exchanges, balances)


def _settle_in_bulk(place: Any, exchanges: list[Exchange], balances: dict[int, int]) -> None:
    rate = DEFAULT_TIME_RATE.pence_per_hour
    source = f"{DEFAULT_TIME_RATE.source} ({DEFAULT_TIME_RATE.price_year} prices)"
    postings, contributions = [], []
    for e in exchanges:
        postings += [HourPosting(exchange=e, member=e.provider, minutes=e.minutes),
                     HourPosting(exchange=e, member=e.recipient, minutes=-e.minutes)]  # fmt: skip
        org = e.provider.organisation
        contributions.append(
            Contribution(
                place=place, sector=Sector.PUBLIC if org and org.kind == "council" else Sector.VOLUNTARY if org else Sector.RESIDENTS,
                kind=Contribution.Kind.TIME, given_on=e.occurred_on, minutes=e.minutes, rate_pence_per_hour=rate,
                value_pence=value_of_minutes(e.minutes, rate), valuation_basis=Basis.REPLACEMENT_COST,
                valuation_source=source, contributor_user=e.provider.user, contributor_organisation=org,
                neighbourhood=e.recipient.neighbourhood or e.provider.neighbourhood, description=e.description,
                supported_organisation=e.recipient.organisation, source=Contribution.Source.TIMEBANK,
                external_id=f"exchange:{e.pk}", exchange=e,
            )
        )  # fmt: skip
    HourPosting.objects.bulk_create(postings, batch_size=2000)
    hoods = {c.neighbourhood_id for c in contributions if c.neighbourhood_id}
    districts = dict(place.neighbourhoods.filter(pk__in=hoods).values_list("pk", "district_id"))
    for c in contributions:
        c.district_id = districts.get(c.neighbourhood_id)
    Contribution.objects.bulk_create(contributions, batch_size=1000)
    members = list(TimeBankMember.objects.filter(pk__in=balances))
    for member in members:
        member.balance_minutes = balances[member.pk]
    TimeBankMember.objects.bulk_update(members, ["balance_minutes"], batch_size=1000)


def _waiting_for_the_demo_resident(resident: TimeBankMember, others: list[TimeBankMember]) -> None:
    yesterday = date.today() - timedelta(days=1)
    timebank.propose_exchange(by=None, proposer=others[0], provider=others[0], recipient=resident, minutes=60,
                              description="Fixed the garden gate", occurred_on=yesterday)  # fmt: skip
    timebank.propose_exchange(by=None, proposer=others[1], provider=resident, recipient=others[1], minutes=90,
                              description="Helped with a benefits form", occurred_on=yesterday)  # fmt: skip
