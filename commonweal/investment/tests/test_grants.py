"""Funds, rounds, light-touch applications, panel decisions, awards, payments and reports."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonweal.audit.models import AuditEvent
from commonweal.investment import services
from commonweal.investment.errors import FundOverdrawn, InvestmentError, OverPaid, StageError
from commonweal.investment.models import Application, Award

from .conftest import TODAY


def test_a_pooled_fund_balance_adds_up_its_partners_contributions(fund):
    balance = fund.balance()
    assert (balance.contributed, balance.committed, balance.paid, balance.available) == (10_000_000, 0, 0, 10_000_000)
    assert sorted(c.organisation.kind for c in fund.contributions.all()) == ["council", "nhs"]


def test_an_award_commits_money_and_payments_draw_it_down(fund, award, commissioner):
    services.record_payment(award, 500_000, by=commissioner, paid_on=TODAY)
    balance = fund.balance()
    assert balance.committed == 1_250_050
    assert balance.paid == 500_000
    assert balance.available == 10_000_000 - 1_250_050
    assert balance.held == 10_000_000 - 500_000
    assert balance.owed == 750_050


def test_a_multi_year_unrestricted_award_keeps_the_applicants_terms(award):
    assert award.is_multi_year
    assert award.unrestricted
    assert award.end_date == datetime.date(2027, 3, 31)
    assert award.grant_id == f"360G-wigancouncil-{award.application.round_id}-{award.application_id}"


def test_the_panel_records_reasons_for_every_decision(application, panel_member):
    with pytest.raises(InvestmentError, match="reasons"):
        services.decide_application(application, by=panel_member, award=False, reasons="  ")
    services.decide_application(application, by=panel_member, award=False, reasons="Outside the fund's area")
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED
    assert application.decision_reasons == "Outside the fund's area"
    assert application.decided_by == panel_member
    assert not Award.objects.exists()


def test_an_application_cannot_be_decided_twice(award, application, panel_member):
    with pytest.raises(StageError):
        services.decide_application(application, by=panel_member, award=True, reasons="again")
    assert Award.objects.count() == 1


def test_an_award_that_would_overdraw_the_fund_is_refused(open_round, organisations, provider, panel_member, place):
    from commonweal.accounts.models import Organisation
    from commonweal.accounts.services import create_organisation

    applications = [
        services.submit_application(
            open_round,
            create_organisation(f"Group {n}", Organisation.Kind.VCSE, place=place, by=None),
            by=provider,
            title=f"Plan {n}",
            summary="Short",
            amount_requested_pence=4_000_000,
        )
        for n in range(3)
    ]
    services.decide_application(applications[0], by=panel_member, award=True, reasons="yes")
    services.decide_application(applications[1], by=panel_member, award=True, reasons="yes")
    with pytest.raises(FundOverdrawn, match="£20,000 left"):
        services.decide_application(applications[2], by=panel_member, award=True, reasons="yes")
    applications[2].refresh_from_db()
    assert applications[2].status == Application.Status.SUBMITTED  # the refusal left nothing half-done
    assert open_round.fund.balance().available == 2_000_000


def test_payments_never_exceed_the_award(award, commissioner):
    services.record_payment(award, 1_000_000, by=commissioner, paid_on=TODAY)
    with pytest.raises(OverPaid, match=r"£2,500\.50 of this award is left"):
        services.record_payment(award, 250_051, by=commissioner, paid_on=TODAY)
    services.record_payment(award, 250_050, by=commissioner, paid_on=TODAY)
    assert award.fund.balance().owed == 0


@pytest.mark.parametrize("amount", [0, -1])
def test_nothing_or_less_is_not_money(award, fund, funders, commissioner, amount):
    with pytest.raises(InvestmentError):
        services.record_payment(award, amount, by=commissioner, paid_on=TODAY)
    with pytest.raises(InvestmentError):
        services.add_contribution(fund, funders["council"], amount, by=commissioner, received_on=TODAY)


def test_a_round_takes_applications_only_while_open_and_once_per_organisation(open_round, organisations, provider):
    services.submit_application(
        open_round, organisations["vcse"], by=provider, title="A", summary="B", amount_requested_pence=100
    )
    with pytest.raises(InvestmentError, match="already applied"):
        services.submit_application(
            open_round, organisations["vcse"], by=provider, title="A", summary="B", amount_requested_pence=100
        )
    services.set_round_status(open_round, "closed", by=None)
    with pytest.raises(StageError):
        services.submit_application(
            open_round, organisations["council"], by=provider, title="A", summary="B", amount_requested_pence=100
        )


def test_an_application_above_the_rounds_limit_is_refused(open_round, organisations, provider):
    with pytest.raises(InvestmentError, match="up to £50,000"):
        services.submit_application(
            open_round, organisations["vcse"], by=provider, title="A", summary="B", amount_requested_pence=5_000_001
        )


def test_reporting_is_a_conversation_with_a_few_figures(award, commissioner, hostile):
    report = services.record_report(
        award,
        by=commissioner,
        conversation_on=TODAY,
        notes=f"They told us {hostile}",
        figures=[("People at lunch", Decimal("42")), ("", Decimal("1")), ("Volunteers", Decimal("7.5"))],
    )
    assert [(f.label, f.value) for f in report.figures.all()] == [
        ("People at lunch", Decimal("42.00")),
        ("Volunteers", Decimal("7.50")),
    ]


def test_every_decision_and_payment_is_in_the_audit_trail(award, commissioner, place):
    services.record_payment(award, 100, by=commissioner, paid_on=TODAY)
    types = set(AuditEvent.objects.filter(place=place).values_list("object_type", flat=True))
    assert {"investment.fund", "investment.application", "investment.award", "investment.payment"} <= types


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["contribute", "award", "pay"]), st.integers(min_value=-5, max_value=3_000_000)),
        max_size=12,
    )
)
def test_whatever_happens_the_balance_reconciles(open_round, organisations, panel_member, commissioner, steps):
    """Any sequence of contributions, awards and payments (many refused) leaves the books consistent."""
    fund = open_round.fund
    from commonweal.accounts.models import Organisation
    from commonweal.accounts.services import create_organisation

    for n, (kind, amount) in enumerate(steps):
        try:
            if kind == "contribute":
                services.add_contribution(fund, organisations["council"], amount, by=commissioner, received_on=TODAY)
            elif kind == "award":
                org = create_organisation(f"Org {n}", Organisation.Kind.VCSE, place=fund.place, by=None)
                application = services.submit_application(
                    open_round, org, by=None, title="t", summary="s", amount_requested_pence=max(amount, 1)
                )
                services.decide_application(application, by=panel_member, award=True, reasons="r")
            else:
                target = fund.awards.order_by("?").first()
                if target:
                    services.record_payment(target, amount, by=commissioner, paid_on=TODAY)
        except InvestmentError:
            pass
    balance = fund.balance()
    assert balance.available >= 0
    assert 0 <= balance.paid <= balance.committed <= balance.contributed
    for award in fund.awards.all():
        assert sum(p.amount_pence for p in award.payments.all()) <= award.amount_pence
