from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountingConfig(AppConfig):
    name = "commonweal.accounting"
    verbose_name = _("Social productivity account")
