"""System checks for what the letters need from the machine."""

from django.core.checks import Error, Warning, register


@register()
def check_letter_fonts(app_configs=None, **kwargs) -> list[Error]:
    from core.fonts import missing_letter_requirements

    return [
        Error(problem, hint=hint, id=f"terminations.E00{index}")
        for index, (problem, hint) in enumerate(missing_letter_requirements(), start=1)
    ]


@register()
def check_holiday_calendar(app_configs=None, **kwargs) -> list[Warning]:
    """TERMINATIONS_HOLIDAYS_CONFIRMED_THROUGH must not claim a year the calendar package has no
    official arrangement for: dates in it would be shown as official while they are estimates."""
    from django.conf import settings

    from terminations.rules.calendar import last_official_year_in_package

    known = last_official_year_in_package()
    if known < settings.HOLIDAYS_CONFIRMED_THROUGH:
        return [
            Warning(
                f"TERMINATIONS_HOLIDAYS_CONFIRMED_THROUGH is {settings.HOLIDAYS_CONFIRMED_THROUGH}, "
                f"but the installed `holidays` package carries official arrangements only "
                f"through {known}.",
                hint="Lower the setting, or upgrade `holidays` to a release that carries the "
                "year; until then enter the year's arrangement in the admin.",
                id="terminations.W001",
            )
        ]
    return []
