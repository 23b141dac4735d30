"""Demo investment: a pooled community fund with a year of trust-based grants to the demo VCSE
organisations, a finished PB round voted on by demo residents, an open one taking proposals,
and an alliance contract with shared outcomes. Deterministic (seeded), built through the services."""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from commonweal.accounts.models import Membership, Role, User
from commonweal.places.models import Postcode

from . import services
from .models import PBProcess, Residence

YEAR_START = datetime.date(2024, 4, 1)
PB_VOTERS = 240
PB_PROJECTS = [
    ("Benches and planters on the high street", 6_500),
    ("Free holiday lunch and play club", 12_000),
    ("Repair café in the library", 4_000),
    ("Safer crossing outside the primary school", 18_000),
    ("Community allotment with raised beds", 9_500),
    ("Youth football kit and coaching", 7_500),
    ("Warm space with Wi-Fi for winter", 8_000),
]
GRANTS = [  # (organisation index, quarter, title, amount in pounds, months, unrestricted, award?)
    (0, 0, "Befriending calls for people living alone", 12_000, 12, True, True),
    (1, 0, "Pantry running costs", 8_000, 12, True, True),
    (2, 0, "Workshop rent and tools", 4_500, 24, True, True),
    (0, 1, "Tea dances in three community centres", 3_000, 6, False, True),
    (1, 1, "A chilled van for food collections", 25_000, 36, True, True),
    (2, 1, "Men's walking group", 2_000, 12, True, False),
    (0, 2, "Digital help sessions for older people", 6_000, 12, True, True),
    (1, 2, "Cook-and-eat courses", 5_000, 12, True, True),
    (2, 2, "Repair café volunteers' training", 1_500, 6, False, True),
    (0, 3, "Winter warmth checks", 7_500, 6, True, True),
    (1, 3, "Core costs for a second pantry", 15_000, 24, True, True),
    (2, 3, "Wood-turning for men with dementia", 3_500, 12, True, True),
]
QUARTERS = ["Spring", "Summer", "Autumn", "Winter"]


def build(context: Any) -> None:
    place, objects = context.place, context.objects
    rng = random.Random(context.seed + 11)
    users = objects["users"]
    fund = _fund(place, objects, users["commissioner"])
    awards = _grants(fund, objects, users, rng)
    finished = _finished_pb(place, users, rng)
    _open_pb(place, users)
    _alliance(place, objects, users["commissioner"])
    context.sign_ins.append(("Resident (PB)", users["resident"].email, "can propose in the open PB round"))
    context.log(
        f"  {fund.name}: {len(awards)} grants, {fund.balance().committed // 100:,} pounds awarded; "
        f"PB: {finished.ballots.count()} ballots, {len(finished.result.selected)} projects funded"
    )


def _fund(place: Any, objects: dict[str, Any], commissioner: Any) -> Any:
    fund = services.create_fund(
        place,
        by=commissioner,
        name="Northbridge Community Investment Fund",
        purpose="Trust-based, mostly unrestricted grants to voluntary and community groups that keep people well and connected.",
        outcomes_sought="Fewer people lonely; more people eating well; more volunteering in the most deprived neighbourhoods.",
        managed_by=objects["council"],
        grant_id_prefix="360G-commonwealdemo",
    )
    for org, pounds in ((objects["council"], 150_000), (objects["nhs"], 100_000), (objects["business"], 10_000)):
        services.add_contribution(fund, org, pounds * 100, by=commissioner, received_on=YEAR_START)
    return fund


def _grants(fund: Any, objects: dict[str, Any], users: dict[str, Any], rng: random.Random) -> list[Any]:
    commissioner, panel, provider = users["commissioner"], users["panel"], users["provider"]
    vcse = objects["vcse"]
    rounds = []
    for name in QUARTERS:
        round_ = services.create_round(
            fund,
            by=commissioner,
            title=f"{name} 2024 community grants",
            description="Small grants for groups that know their neighbourhood. Tell us in a few lines; we will come and talk.",
            max_amount_pence=2_500_000,
        )
        rounds.append(services.set_round_status(round_, "open", by=commissioner))
    awards = []
    for org_index, quarter, title, pounds, months, unrestricted, fund_it in GRANTS:
        org = vcse[org_index]
        application = services.submit_application(
            rounds[quarter],
            org,
            by=provider if org_index == 0 else None,
            title=title,
            summary=f"{org.name}: {title.lower()}. We already run this with volunteers and need help to keep it going.",
            amount_requested_pence=pounds * 100,
            duration_months=months,
            unrestricted=unrestricted,
        )
        services.add_conversation_note(
            application, "Visited the group; they know the people they help and have a clear plan.", by=commissioner
        )
        award_date = YEAR_START + datetime.timedelta(days=91 * quarter + 30)
        award = services.decide_application(
            application,
            by=panel,
            award=fund_it,
            reasons="A trusted local group doing what residents told us matters."
            if fund_it
            else "Already funded through the walking-for-health programme this year.",
            award_date=award_date,
        )
        if award:
            awards.append(award)
            _pay_and_report(award, commissioner, rng)
    for round_ in rounds[:3]:
        services.set_round_status(round_, "closed", by=commissioner)
    return awards


def _pay_and_report(award: Any, commissioner: Any, rng: random.Random) -> None:
    first = award.amount_pence // 2
    services.record_payment(award, first, by=commissioner, paid_on=award.award_date + datetime.timedelta(days=14))
    if award.award_date < datetime.date(2024, 11, 1):
        services.record_payment(
            award, award.amount_pence - first, by=commissioner, paid_on=award.award_date + datetime.timedelta(days=180)
        )
        services.record_report(
            award,
            by=commissioner,
            conversation_on=award.award_date + datetime.timedelta(days=170),
            notes="Going well: more people than expected, two new volunteers. Rent went up; the grant absorbed it.",
            figures=[
                ("People taking part", Decimal(rng.randint(25, 140))),
                ("Volunteer hours", Decimal(rng.randint(80, 600))),
            ],
        )


def _demo_residents(place: Any, districts: list[Any], officer: Any, count: int) -> list[User]:
    """Residents in bulk: accounts, roles and verified homes spread over the districts' postcodes."""
    postcodes = list(
        Postcode.objects.filter(place=place, neighbourhood__district__in=districts)
        .select_related("neighbourhood")
        .order_by("postcode")
    )
    unusable = make_password(None)  # demo residents do not sign in
    users = User.objects.bulk_create(
        [
            User(email=f"pb-resident-{n:04d}@demo.commonweal.test", full_name=f"PB resident {n}", password=unusable)
            for n in range(1, count + 1)
        ]
    )
    Membership.objects.bulk_create([Membership(user=u, place=place, role=Role.RESIDENT) for u in users])
    now = timezone.now()
    Residence.objects.bulk_create(
        [
            Residence(
                user=u,
                place=place,
                postcode=pc.postcode,
                neighbourhood=pc.neighbourhood,
                verified_at=now,
                verified_by=officer,
            )
            for u, pc in zip(users, (postcodes[i % len(postcodes)] for i in range(count)), strict=True)
        ]
    )
    return users


def _finished_pb(place: Any, users: dict[str, Any], rng: random.Random) -> PBProcess:
    officer = users["commissioner"]
    districts = list(place.districts.order_by("code")[:2])
    process = services.create_process(
        place,
        by=officer,
        title="Our Neighbourhoods 2024: you decide",
        description="£50,000 for projects residents propose and choose, in two districts.",
        budget_pence=5_000_000,
        districts=districts,
        max_choices=4,
    )
    residents = _demo_residents(place, districts, officer, PB_VOTERS)
    services.advance_stage(process, by=officer)
    projects = [
        services.propose_project(
            process,
            by=residents[n],
            title=title,
            description=f"{title}. Proposed by a resident at the spring drop-in.",
            estimated_cost_pence=pounds * 100,
        )
        for n, (title, pounds) in enumerate(PB_PROJECTS)
    ]
    infeasible = services.propose_project(
        process, by=residents[-1], title="A new swimming pool", description="For everyone.", estimated_cost_pence=None
    )
    services.advance_stage(process, by=officer)
    for project, (_title, pounds) in zip(projects, PB_PROJECTS, strict=True):
        services.check_project(project, by=officer, feasible=True, cost_pence=pounds * 100 + 50_000)
    services.check_project(
        infeasible, by=officer, feasible=False, cost_pence=None, notes="It would cost far more than the whole budget."
    )
    services.advance_stage(process, by=officer)
    popularity = [5, 9, 3, 7, 4, 6, 5]
    for resident in residents:
        chosen = set(rng.choices(projects, weights=popularity, k=rng.randint(1, 4)))
        services.cast_ballot(process, dict.fromkeys(chosen, 1), by=resident)
    services.advance_stage(process, by=officer)
    services.publish_results(process, by=officer)
    for project in process.projects.filter(selected=True):
        first = services.add_milestone(
            project, by=officer, title="Order and plan with residents", due_on=datetime.date(2024, 9, 30)
        )
        services.add_milestone(project, by=officer, title="Open to everyone", due_on=datetime.date(2025, 3, 31))
        services.complete_milestone(first, by=officer, done_on=datetime.date(2024, 9, 20))
    return process


def _open_pb(place: Any, users: dict[str, Any]) -> None:
    officer, resident = users["commissioner"], users["resident"]
    process = services.create_process(
        place,
        by=officer,
        title="Northbridge Green Spaces 2025",
        description="£30,000 for greener streets and parks, anywhere in Northbridge. Points ballot: share out 10 points.",
        budget_pence=3_000_000,
        ballot_type="cumulative",
        total_points=10,
        max_points_per_project=5,
    )
    services.advance_stage(process, by=officer)
    postcode = Postcode.objects.filter(place=place).order_by("postcode").first()
    residence = services.declare_residence(resident, place, postcode.postcode, by=resident)
    services.verify_residence(residence, by=officer)


def _alliance(place: Any, objects: dict[str, Any], commissioner: Any) -> None:
    contract = services.create_contract(
        place,
        by=commissioner,
        title="Ageing Well Alliance",
        description="One budget and one set of outcomes for staying well at home, shared by the council, the NHS and three VCSE partners.",
        starts_on=datetime.date(2024, 4, 1),
        ends_on=datetime.date(2027, 3, 31),
    )
    services.add_commissioner_share(contract, objects["council"], 120_000_000, by=commissioner)
    services.add_commissioner_share(contract, objects["nhs"], 80_000_000, by=commissioner)
    for n, org in enumerate(objects["vcse"]):
        services.add_provider(contract, org, by=commissioner, role="lead" if n == 0 else "member")
    falls = services.add_shared_outcome(
        contract,
        by=commissioner,
        title="Fewer falls",
        measure="Emergency admissions for falls, 65+, per 1,000",
        baseline=Decimal("22.0"),
        target=Decimal("18.0"),
        direction="lower",
    )
    lonely = services.add_shared_outcome(
        contract,
        by=commissioner,
        title="Less loneliness",
        measure="Per cent often or always lonely (survey)",
        baseline=Decimal("9.0"),
        target=Decimal("6.0"),
        direction="lower",
    )
    for outcome, values in ((falls, ["21.4", "20.1"]), (lonely, ["8.6", "8.1"])):
        for period_end, value in zip([datetime.date(2024, 9, 30), datetime.date(2025, 3, 31)], values, strict=True):
            services.record_measurement(outcome, by=commissioner, period_end=period_end, value=Decimal(value))
