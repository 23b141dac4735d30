"""Use cases that write grant rounds, applications, decisions, awards, payments and reports."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from commonweal.audit.models import Action
from commonweal.audit.services import record

from ..errors import FundOverdrawn, InvestmentError, OverPaid, StageError
from ..models import Application, Award, ConversationNote, Fund, GrantReport, Payment, ReportFigure, Round
from ..money import format_pounds
from .funds import lock_fund


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def create_round(
    fund: Fund,
    *,
    by: Any,
    title: str,
    description: str,
    max_amount_pence: int | None = None,
    closes_on: datetime.date | None = None,
) -> Round:
    with transaction.atomic():
        round_ = Round.objects.create(
            place=fund.place,
            fund=fund,
            title=title,
            description=description,
            max_amount_pence=max_amount_pence,
            closes_on=closes_on,
        )
        record(by, Action.CREATED, round_)
    return round_


def set_round_status(round_: Round, status: str, *, by: Any) -> Round:
    """Open a round for applications, or close it."""
    with transaction.atomic():
        round_.status = Round.Status(status)
        round_.save(update_fields=["status"])
        record(by, Action.UPDATED, round_, detail={"status": status})
    return round_


def submit_application(
    round_: Round,
    organisation: Any,
    *,
    by: Any,
    title: str,
    summary: str,
    amount_requested_pence: int,
    duration_months: int = 12,
    unrestricted: bool = True,
) -> Application:
    if not round_.is_accepting():
        raise StageError(_("This round is not taking applications."))
    if round_.max_amount_pence and amount_requested_pence > round_.max_amount_pence:
        raise InvestmentError(f"This round gives grants of up to {format_pounds(round_.max_amount_pence)}.")
    if amount_requested_pence <= 0:
        raise InvestmentError(_("Ask for more than nothing."))
    with transaction.atomic():
        if Application.objects.filter(round=round_, organisation=organisation).exists():
            raise InvestmentError(_("Your organisation has already applied to this round."))
        application = Application.objects.create(
            place=round_.place,
            round=round_,
            organisation=organisation,
            submitted_by=_user(by),
            title=title,
            summary=summary,
            amount_requested_pence=amount_requested_pence,
            duration_months=duration_months,
            unrestricted=unrestricted,
        )
        record(by, Action.CREATED, application)
    return application


def add_conversation_note(application: Application, text: str, *, by: Any) -> ConversationNote:
    with transaction.atomic():
        note = ConversationNote.objects.create(application=application, author=_user(by), text=text)
        record(by, Action.CREATED, note, place=application.place, object_repr=f"note on application {application.pk}")
    return note


def decide_application(
    application: Application,
    *,
    by: Any,
    award: bool,
    reasons: str,
    amount_pence: int | None = None,
    unrestricted: bool | None = None,
    start_date: datetime.date | None = None,
    award_date: datetime.date | None = None,
) -> Award | None:
    """The panel's decision, with its reasons; an award commits money from the fund.

    The fund's row is locked first, so concurrent awards are checked one after another and
    together can never commit more than the fund holds.
    """
    if not reasons.strip():
        raise InvestmentError(_("Give the panel's reasons."))
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Application.Status.SUBMITTED:
            raise StageError(_("This application has been decided already."))
        application.status = Application.Status.AWARDED if award else Application.Status.DECLINED
        application.decided_by = _user(by)
        application.decided_at = timezone.now()
        application.decision_reasons = reasons
        application.save(update_fields=["status", "decided_by", "decided_at", "decision_reasons"])
        made = _make_award(application, amount_pence, unrestricted, start_date, award_date) if award else None
        record(
            by,
            Action.UPDATED,
            application,
            detail={"decision": application.status, "award": made.pk if made else None},
        )
        if made:
            record(by, Action.CREATED, made, detail={"amount_pence": made.amount_pence})
    return made


def _make_award(
    application: Application,
    amount_pence: int | None,
    unrestricted: bool | None,
    start_date: datetime.date | None,
    award_date: datetime.date | None,
) -> Award:
    amount = application.amount_requested_pence if amount_pence is None else amount_pence
    if amount <= 0:
        raise InvestmentError(_("An award must be more than nothing."))
    fund = lock_fund(application.round.fund)
    available = fund.balance().available
    if amount > available:
        raise FundOverdrawn(
            f"The fund has {format_pounds(max(available, 0))} left to award; this award is {format_pounds(amount)}."
        )
    today = timezone.localdate()
    return Award.objects.create(
        place=application.place,
        fund=fund,
        application=application,
        recipient=application.organisation,
        reference=f"{application.round_id}-{application.pk}",
        title=application.title,
        description=application.summary,
        amount_pence=amount,
        award_date=award_date or today,
        start_date=start_date or award_date or today,
        duration_months=application.duration_months,
        unrestricted=application.unrestricted if unrestricted is None else unrestricted,
    )


def record_payment(award: Award, amount_pence: int, *, by: Any, paid_on: datetime.date) -> Payment:
    if amount_pence <= 0:
        raise InvestmentError(_("A payment must be more than nothing."))
    with transaction.atomic():
        lock_fund(award.fund)  # payments and awards of one fund are checked one at a time
        paid = award.payments.aggregate(total=Sum("amount_pence"))["total"] or 0
        if paid + amount_pence > award.amount_pence:
            raise OverPaid(
                f"{format_pounds(award.amount_pence - paid)} of this award is left to pay; "
                f"this payment is {format_pounds(amount_pence)}."
            )
        payment = Payment.objects.create(award=award, amount_pence=amount_pence, paid_on=paid_on, recorded_by=_user(by))
        record(by, Action.CREATED, payment, detail={"award": award.pk, "amount_pence": amount_pence})
    return payment


def record_report(
    award: Award,
    *,
    by: Any,
    conversation_on: datetime.date,
    notes: str,
    figures: Iterable[tuple[str, Decimal]] = (),
) -> GrantReport:
    """Reporting by conversation: the notes of what the grantee said and a few figures they count."""
    with transaction.atomic():
        report = GrantReport.objects.create(
            award=award, conversation_on=conversation_on, notes=notes, recorded_by=_user(by)
        )
        ReportFigure.objects.bulk_create(
            [ReportFigure(report=report, label=label, value=value) for label, value in figures if label]
        )
        record(by, Action.CREATED, report, detail={"award": award.pk})
    return report
