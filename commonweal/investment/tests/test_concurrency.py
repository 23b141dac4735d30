"""Two panel members award at the same moment: the fund's row lock makes them take turns."""

import threading

import pytest
from django.db import connection, connections

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation
from commonweal.investment import services
from commonweal.investment.errors import FundOverdrawn

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer at a time; rows lock on PostgreSQL"
)
def test_concurrent_awards_cannot_overdraw_the_fund(open_round, panel_member, place):
    # The fund holds £100,000; eight applications of £40,000 each are decided at once: only two fit.
    applications = [
        services.submit_application(
            open_round,
            create_organisation(f"Group {n}", Organisation.Kind.VCSE, place=place, by=None),
            by=None,
            title=f"Plan {n}",
            summary="s",
            amount_requested_pence=4_000_000,
        )
        for n in range(8)
    ]
    barrier = threading.Barrier(len(applications))
    outcomes: list[str] = []

    def decide(application):
        try:
            barrier.wait()
            services.decide_application(application, by=panel_member, award=True, reasons="yes")
            outcomes.append("awarded")
        except FundOverdrawn:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["awarded"] * 2 + ["refused"] * 6
    balance = open_round.fund.balance()
    assert balance.committed == 8_000_000
    assert balance.available == 2_000_000
