"""System checks for what the letters need from the machine."""

from django.core.checks import Error, register


@register()
def check_letter_fonts(app_configs=None, **kwargs) -> list[Error]:
    from core.fonts import missing_letter_requirements

    return [
        Error(problem, hint=hint, id=f"terminations.E00{index}")
        for index, (problem, hint) in enumerate(missing_letter_requirements(), start=1)
    ]
