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


@register()
def check_signing_certificate(app_configs=None, **kwargs) -> list[Error | Warning]:
    """The certificate the operator names (DJANGO_SIGNING_PKCS12_PATH) must open with its
    password and be able to sign: otherwise every letter is refused at issue. An expired one is
    a warning (letters are refused until it is replaced), so that the site still starts."""
    from django.conf import settings

    from core.certificates import CertificateProblem, operator_pkcs12, read_pkcs12

    problems: list[Error | Warning] = []
    if settings.SIGNING_PKCS12_PATH:
        try:
            certificate = read_pkcs12(*operator_pkcs12())
        except CertificateProblem as problem:
            problems.append(
                Error(
                    f"The signing certificate cannot be used ({settings.SIGNING_PKCS12_PATH}): "
                    f"{problem}",
                    hint="Check the path, the file (PKCS#12: .p12 or .pfx, with its private "
                    "key) and DJANGO_SIGNING_PKCS12_PASSWORD; or unset the path to sign with the "
                    "certificate uploaded on the shop profile.",
                    id="core.E001",
                )
            )
        else:
            try:
                certificate.check_current()
            except CertificateProblem as problem:
                problems.append(
                    Warning(
                        f"DJANGO_SIGNING_PKCS12_PATH: {problem} Letters are refused at issue.",
                        hint="Install a renewed certificate, or unset the path.",
                        id="core.W001",
                    )
                )
    if settings.SIGNING_TRUST_ROOTS:
        from pathlib import Path

        from cryptography import x509

        try:
            x509.load_pem_x509_certificates(Path(settings.SIGNING_TRUST_ROOTS).read_bytes())
        except (OSError, ValueError) as error:
            problems.append(
                Error(
                    f"DJANGO_SIGNING_TRUST_ROOTS ({settings.SIGNING_TRUST_ROOTS}) is not a "
                    f"readable PEM file of certificates: {error}",
                    hint="Name a PEM file holding the root certificate(s) signatures are to be "
                    "trusted to, or unset the variable.",
                    id="core.E002",
                )
            )
    return problems
