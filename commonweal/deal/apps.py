from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealConfig(AppConfig):
    name = "commonweal.deal"
    verbose_name = _("Deal")
