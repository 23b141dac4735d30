"""The time bank: double-entry hour transfers, confirmation by both sides, limits that hold under concurrency."""

import contextlib
import random
import threading
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum

from commonweal.accounts.services import create_user
from commonweal.deal import timebank
from commonweal.deal.errors import BalanceLimitError, DealError
from commonweal.deal.ledger import resources_in
from commonweal.deal.models import Contribution, Exchange, HourPosting, TimeBankMember
from commonweal.deal.stats import time_bank_stats

DAY = date(2024, 6, 15)
YEAR = (date(2024, 4, 1), date(2025, 4, 1))


@pytest.fixture
def members(place, resident, commissioner, organisations, hoods):
    alice = timebank.join_time_bank(place, by=resident, user=resident, neighbourhood=hoods["E01006213"])
    bob = timebank.join_time_bank(place, by=commissioner, user=commissioner, neighbourhood=hoods["E01006214"])
    pantry = timebank.join_time_bank(place, by=None, organisation=organisations["vcse"])
    return alice, bob, pantry


def exchange(provider, recipient, minutes=60, *, proposer=None, occurred_on=DAY):
    return timebank.propose_exchange(
        by=None,
        proposer=proposer or provider,
        provider=provider,
        recipient=recipient,
        minutes=minutes,
        description="Gardening <b>help</b>",
        occurred_on=occurred_on,
    )


def settle(provider, recipient, minutes=60, **kwargs):
    proposed = exchange(provider, recipient, minutes, **kwargs)
    return timebank.confirm_exchange(proposed, by=None, member=recipient)


def test_joining_is_idempotent_and_copies_the_places_limits(place, resident, members):
    again = timebank.join_time_bank(place, by=resident, user=resident)
    assert again == members[0]
    assert (again.floor_minutes, again.ceiling_minutes) == (-600, 6000)


def test_hours_move_only_when_both_sides_confirm(members):
    alice, bob, _ = members
    proposed = exchange(alice, bob, 90)
    assert proposed.status == "proposed"
    assert proposed.provider_confirmed_at is not None
    assert not HourPosting.objects.exists()
    done = timebank.confirm_exchange(proposed, by=None, member=bob)
    assert done.status == "completed"
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert (alice.balance_minutes, bob.balance_minutes) == (90, -90)
    assert sorted(done.postings.values_list("minutes", flat=True)) == [-90, 90]


def test_the_proposer_confirming_again_moves_nothing(members):
    alice, bob, _ = members
    proposed = exchange(alice, bob)
    timebank.confirm_exchange(proposed, by=None, member=alice)
    assert Exchange.objects.get().status == "proposed"
    assert not HourPosting.objects.exists()


def test_a_recipient_can_propose_and_the_provider_confirms(members):
    alice, bob, _ = members
    proposed = exchange(alice, bob, proposer=bob)
    assert proposed.recipient_confirmed_at
    assert not proposed.provider_confirmed_at
    assert timebank.confirm_exchange(proposed, by=None, member=alice).status == "completed"


def test_only_the_two_members_can_confirm_or_decline(members):
    alice, bob, pantry = members
    proposed = exchange(alice, bob)
    with pytest.raises(DealError, match="Only the two members"):
        timebank.confirm_exchange(proposed, by=None, member=pantry)
    with pytest.raises(DealError, match="Only the two members"):
        timebank.decline_exchange(proposed, by=None, member=pantry)
    assert timebank.decline_exchange(proposed, by=None, member=bob).status == "declined"
    with pytest.raises(DealError, match="settled already"):
        timebank.confirm_exchange(proposed, by=None, member=bob)


def test_a_completed_exchange_enters_the_ledger_as_time_given(place, members, hoods):
    alice, bob, pantry = members
    settle(alice, bob, 120)
    settle(pantry, alice, 60)
    given = Contribution.objects.get(exchange__provider=alice)
    assert (given.kind, given.sector, given.minutes, given.source) == ("time", "residents", 120, "timebank")
    assert given.neighbourhood == hoods["E01006214"]  # where the time went in: the recipient's neighbourhood
    assert given.value_pence == 2 * 2711
    assert Contribution.objects.get(exchange__provider=pantry).sector == "voluntary"
    totals = resources_in(place, start=YEAR[0], end=YEAR[1])
    assert totals.total.minutes == 180
    assert totals.by_sector["residents"].minutes == 120


@pytest.mark.parametrize(
    ("minutes", "message"),
    [(0, "between 1 minute"), (601, "between 1 minute"), (-30, "between 1 minute")],
)
def test_exchanges_of_no_time_or_too_long_are_refused(members, minutes, message):
    alice, bob, _ = members
    with pytest.raises(DealError, match=message):
        exchange(alice, bob, minutes)


def test_exchanges_with_oneself_in_the_future_or_by_a_stranger_are_refused(members, other_place):
    alice, bob, pantry = members
    with pytest.raises(DealError, match="between two members"):
        exchange(alice, alice)
    with pytest.raises(DealError, match="future"):
        exchange(alice, bob, occurred_on=date.today() + timedelta(days=3))
    with pytest.raises(DealError, match="took part in"):
        exchange(alice, bob, proposer=pantry)
    stranger_user = create_user("far@away.test", "Far Away", by=None)
    stranger = timebank.join_time_bank(other_place, by=None, user=stranger_user)
    with pytest.raises(DealError, match="another place"):
        exchange(alice, stranger)


def test_a_recipient_at_the_floor_cannot_receive_more(members):
    alice, bob, pantry = members
    settle(alice, bob, 600)  # bob now owes 10 hours, the floor
    proposed = exchange(pantry, bob, 30)
    with pytest.raises(BalanceLimitError, match="below its limit"):
        timebank.confirm_exchange(proposed, by=None, member=bob)
    bob.refresh_from_db()
    assert bob.balance_minutes == -600
    assert Exchange.objects.get(pk=proposed.pk).status == "proposed"
    assert HourPosting.objects.filter(exchange=proposed).count() == 0
    assert not Contribution.objects.filter(exchange=proposed).exists()


def test_a_provider_at_the_ceiling_cannot_earn_more(members):
    alice, bob, _ = members
    TimeBankMember.objects.filter(pk=alice.pk).update(ceiling_minutes=60)
    settle(alice, bob, 60)
    with pytest.raises(BalanceLimitError, match="at its limit"):
        settle(alice, bob, 1)


def test_the_database_refuses_a_balance_beyond_the_limit(members):
    _, bob, _ = members
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeBankMember.objects.filter(pk=bob.pk).update(balance_minutes=F("balance_minutes") - 601)


def test_a_stale_check_is_caught_by_the_database_and_nothing_moves(members, monkeypatch):
    """What two simultaneous confirmations would do if the locks were missing: both pass the check on a stale read."""
    alice, bob, pantry = members
    settle(alice, bob, 540)
    proposed = exchange(pantry, bob, 120)
    stale = TimeBankMember.objects.get(pk=bob.pk)
    stale.balance_minutes = 0  # the balance as read before the first transfer committed
    real_lock = timebank._lock_members

    def stale_lock(ids):
        return {pk: stale if pk == bob.pk else member for pk, member in real_lock(ids).items()}

    monkeypatch.setattr(timebank, "_lock_members", stale_lock)
    with pytest.raises(BalanceLimitError):
        timebank.confirm_exchange(proposed, by=None, member=bob)
    assert TimeBankMember.objects.get(pk=bob.pk).balance_minutes == -540
    assert HourPosting.objects.filter(exchange=proposed).count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_never_break_the_floor(place, resident, commissioner, organisations):
    """Two threads confirm exchanges that together would overdraw one member: exactly one succeeds."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's test database is in memory and serialises writers; the constraint test covers it")
    receiver = timebank.join_time_bank(place, by=None, user=commissioner)
    givers = [
        timebank.join_time_bank(place, by=None, user=resident),
        timebank.join_time_bank(place, by=None, organisation=organisations["vcse"]),
    ]
    proposals = [exchange(giver, receiver, 400) for giver in givers]  # 800 > the 600 floor
    barrier, outcomes = threading.Barrier(2), []

    def confirm(proposal):
        try:
            barrier.wait()
            timebank.confirm_exchange(proposal, by=None, member=receiver)
            outcomes.append("ok")
        except BalanceLimitError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(p,)) for p in proposals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    receiver.refresh_from_db()
    assert receiver.balance_minutes == -400
    assert HourPosting.objects.aggregate(total=Sum("minutes"))["total"] == 0


def test_balances_always_equal_the_sum_of_postings_and_postings_sum_to_zero(members):
    rng = random.Random(11)
    everyone = list(members)
    for _ in range(80):
        provider, recipient = rng.sample(everyone, 2)
        with contextlib.suppress(BalanceLimitError):
            settle(provider, recipient, rng.randrange(1, 600))
    assert HourPosting.objects.aggregate(total=Sum("minutes"))["total"] == 0
    for member in TimeBankMember.objects.all():
        posted = member.postings.aggregate(total=Sum("minutes"))["total"] or 0
        assert member.balance_minutes == posted
        assert member.floor_minutes <= member.balance_minutes <= member.ceiling_minutes


def test_statistics_count_hours_and_active_members_by_neighbourhood_and_decile(place, members):
    alice, bob, pantry = members
    settle(alice, bob, 60)
    settle(pantry, alice, 30)
    exchange(bob, alice, 45)  # not confirmed: not counted
    stats = time_bank_stats(place, start=YEAR[0], end=YEAR[1])
    assert (stats.exchanges, stats.minutes, stats.active_members, stats.members) == (2, 90, 3, 3)
    by_code = {row.key: row for row in stats.by_neighbourhood}
    assert by_code["E01006213"].minutes_given == 60
    assert by_code["E01006213"].minutes_received == 30
    assert by_code[None].active_members == 1  # the pantry gave no neighbourhood
    assert all(row.suppressed for row in stats.by_decile)  # fewer than 10 members in every row
    assert stats.suppress_active_members
