"""Remind providers of referrals past their answer date (run daily, e.g. from cron)."""

from collections import Counter
from typing import Any

from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse

from commonweal.accounts.models import Membership, Role
from commonweal.people.services import remind_providers
from commonweal.places.models import Place


class Command(BaseCommand):
    help = "Remind each provider organisation of referrals waiting past their answer date. No personal data is sent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--place", help="a place code; all places when left out")

    def handle(self, *args: Any, place: str | None, **options: Any) -> None:
        places = Place.objects.filter(code=place.upper()) if place else Place.objects.all()
        for each in places:
            reminders = remind_providers(each)
            per_provider = Counter(r.provider_id for r in reminders)
            inbox = reverse("people:inbox", args=[each.code])
            for provider_id, count in per_provider.items():
                emails = Membership.objects.filter(
                    place=each, role=Role.PROVIDER, organisation_id=provider_id
                ).values_list("user__email", flat=True)
                send_mail(
                    f"{count} referral(s) waiting for your answer",
                    f"{count} referral(s) to your organisation in {each.name} are past their answer date. "
                    f"Please answer them in your inbox: {inbox}",
                    None,
                    list(emails),
                )
            self.stdout.write(f"{each.code}: {len(reminders)} reminder(s) to {len(per_provider)} organisation(s)")
