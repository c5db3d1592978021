"""Print the last day of a notice period: the ISO date on the first line, the explanation after."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _

from terminations.rules.dates import RulesError, notice_period_end

LANGUAGES = ("zh-hans", "en")


class Command(BaseCommand):
    help = (
        "The end of a notice period under the Civil Code and the Chinese holiday calendar. "
        "Prints the end date (ISO) on the first line and its explanation after it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--arrival", required=True, help="Arrival (or dispatch) date, YYYY-MM-DD."
        )
        parser.add_argument("--period", required=True, help="The notice period, a whole number.")
        parser.add_argument("--unit", required=True, help="days, months or workdays.")
        parser.add_argument(
            "--from-dispatch",
            action="store_true",
            help="The contract counts the period from dispatch (then --arrival is the dispatch date).",
        )
        parser.add_argument(
            "--no-roll",
            action="store_true",
            help="Do not move an end falling on a rest day to the next working day.",
        )
        parser.add_argument("--first-day-counts", action="store_true", help="Count the first day.")
        parser.add_argument(
            "--lang", default=None, help="Language of the explanation: zh-hans (default) or en."
        )

    def handle(self, *args, **options) -> None:
        language = options["lang"] or settings.LANGUAGE_CODE
        if language not in LANGUAGES:
            raise CommandError(f"Unknown language {language!r}: use zh-hans or en.")
        with translation.override(language):
            try:
                start = date.fromisoformat(options["arrival"])
            except ValueError:
                raise CommandError(
                    _("“%(value)s” is not a date: use YYYY-MM-DD.") % {"value": options["arrival"]}
                ) from None
            try:
                period = int(options["period"])
            except ValueError:
                raise CommandError(_("The period must be a whole number.")) from None
            try:
                result = notice_period_end(
                    start=start,
                    period=period,
                    unit=options["unit"],
                    first_day_counts=options["first_day_counts"],
                    roll=not options["no_roll"],
                    counted_from="dispatch" if options["from_dispatch"] else "arrival",
                )
            except RulesError as error:
                raise CommandError(error.args[0]) from None
            except DatabaseError:
                # Years past the package's arrangement are read from the calendar tables.
                raise CommandError(
                    _("The database is not set up: run “python manage.py migrate” first.")
                ) from None
            self.stdout.write(result.end.isoformat())
            if result.rolled:
                self.stdout.write(
                    _("Nominal last day: %(date)s (moved for rest days)")
                    % {"date": result.nominal.isoformat()}
                )
            self.stdout.write(result.explanation)
            if not result.confirmed:
                self.stdout.write(self.style.WARNING(result.estimate_note))
