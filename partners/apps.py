from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partner register")

    def ready(self) -> None:
        from partners import checks  # noqa: F401  (registers the system checks)
