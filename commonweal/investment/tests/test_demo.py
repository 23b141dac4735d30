"""The demo: a year of grants on trust, a finished PB round voted on by demo residents, and an alliance."""

import json
import time

from commonweal.accounts import demo as accounts_demo
from commonweal.demo.registry import DemoContext
from commonweal.engines.voting import method_of_equal_shares
from commonweal.investment import demo, giving
from commonweal.investment.models import Award, Contract, PBProcess
from commonweal.investment.voting import election_for
from commonweal.places import demo as places_demo


def test_the_demo_builds_quickly_and_reconciles(db):
    context = DemoContext(log=lambda _: None)
    places_demo.build(context)
    accounts_demo.build(context)
    started = time.perf_counter()
    demo.build(context)
    seconds = time.perf_counter() - started
    place = context.place

    awards = Award.objects.filter(place=place)
    assert awards.count() == 11
    assert {a.recipient for a in awards} == set(context.objects["vcse"])
    assert len({a.award_date.month for a in awards}) == 4  # a year of quarterly rounds
    fund = awards.first().fund
    balance = fund.balance()
    assert 0 < balance.paid <= balance.committed <= balance.contributed
    package = giving.package(place, publisher=context.objects["council"])
    assert len(package["grants"]) == 11
    assert json.dumps(package)  # serialisable as it is

    finished = PBProcess.objects.get(place=place, stage=PBProcess.Stage.PUBLISHED)
    assert finished.ballots.count() == demo.PB_VOTERS
    assert finished.result.selected == list(method_of_equal_shares(election_for(finished), completion="add1").selected)
    assert finished.projects.filter(selected=True, delivery="in_progress").exists()
    assert PBProcess.objects.filter(place=place, stage=PBProcess.Stage.PROPOSING).exists()
    assert Contract.objects.get(place=place).cost_pence() == 200_000_000
    assert seconds < 15, f"the investment demo took {seconds:.1f} s"
