"""Choices shared by the register (contracts) and the rules engine."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodUnit(models.TextChoices):
    DAYS = "days", _("calendar days")
    MONTHS = "months", _("months")
    WORKDAYS = "workdays", _("working days")


class CountedFrom(models.TextChoices):
    ARRIVAL = "arrival", _("arrival at the other party")
    DISPATCH = "dispatch", _("dispatch")


class PenaltyType(models.TextChoices):
    NONE = "none", _("none")
    FIXED = "fixed", _("fixed sum")
    PERCENT = "percent", _("percentage of contract value")
    MONTHS = "months", _("months of fees")


class PenaltyDirection(models.TextChoices):
    SHOP_OWES = "shop_owes", _("owed by the shop")
    PARTNER_OWES = "partner_owes", _("claimed from the partner")
