from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountingConfig(AppConfig):
    name = "commonweal.accounting"
    verbose_name = _("Social productivity account")

    def ready(self) -> None:
        from commonweal.investment.review import register_value_source

        from .contract_value import estimated_contract_value

        register_value_source(estimated_contract_value)
