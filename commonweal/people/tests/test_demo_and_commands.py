"""The demo's records are consistent with what the services write; the commands work."""

import json
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from commonweal.accounts import demo as accounts_demo
from commonweal.people import demo, services
from commonweal.people.models import Connection, Consent, Instrument, Person, Purpose, Status


@pytest.fixture
def demo_context(place, postcodes, monkeypatch):
    monkeypatch.setattr(demo, "RESIDENTS", 80)
    # The shape of commonweal.demo's DemoContext (people may not import the demo layer above it).
    context = SimpleNamespace(place=place, seed=2019, objects={}, sign_ins=[], log=lambda _line: None)
    accounts_demo.build(context)
    demo.build(context)
    return context


def test_the_demo_builds_records_consistent_with_the_services(demo_context, place):
    assert Person.objects.filter(place=place).count() == 80
    assert all(Consent.objects.filter(person=p, purpose=Purpose.SUPPORT).exists() for p in Person.objects.all())
    for c in Connection.objects.exclude(referred_on=None).select_related("person"):
        assert services.sharing_basis_remains(c.person, c.provider_id)
        assert c.snomed_code in ("871731000000106", "871711000000103")
        assert c.events.count() == c.version
        assert c.events.last().status == c.status
    assert Connection.objects.filter(status=Status.DECLINED).exclude(snomed_code="871711000000103").count() == 0
    resident = demo_context.objects["users"]["resident"]
    assert Person.objects.get(account=resident).full_name == resident.full_name


def test_overdue_referrals_are_reminded_by_email_without_personal_data(referral, provider, place):
    Connection.objects.filter(pk=referral.pk).update(respond_by=referral.referred_on.replace(year=2000))
    call_command("remind_providers", place=place.code, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [provider.email]
    assert "Mair" not in mail.outbox[0].body


def test_a_licensed_instrument_is_loaded_from_a_file_and_a_bad_one_refused(tmp_path, db):
    definition = {
        "code": "swemwbs",
        "name": "Short Warwick-Edinburgh Mental Wellbeing Scale",
        "items": [
            {"code": f"item_{i}", "text": f"Statement {i}", "min": 1, "max": 5, "higher_is_better": True}
            for i in range(1, 8)
        ],
        "total_bands": [{"label": "Low", "low": 7, "high": 17}, {"label": "Moderate", "low": 18, "high": 35}],
    }
    good = tmp_path / "swemwbs.json"
    good.write_text(json.dumps(definition))
    call_command("load_wellbeing_instrument", str(good), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(Instrument.objects.get(code="swemwbs").items) == 7
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({**definition, "items": [{"code": "x", "text": "x", "min": 5, "max": 1, "higher_is_better": True}]})
    )
    with pytest.raises(CommandError, match="min must be below max"):
        call_command("load_wellbeing_instrument", str(bad))
