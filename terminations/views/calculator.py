"""The notice-period calculator: the rules engine on a page, for any user in a group."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import roles
from terminations.forms.calculator import CalculatorForm
from terminations.rules.dates import (
    RulesError,
    notice_end_for_contract,
    notice_period_end,
    renewal_cutoff_for_contract,
)


@require_GET
def calculator(request: HttpRequest) -> HttpResponse:
    if not roles.can_view(request.user):
        raise PermissionDenied
    if "arrival" in request.GET:
        form = CalculatorForm(request.GET)
    else:
        # A link from a contract page may preselect the contract.
        form = CalculatorForm(initial={"contract": request.GET.get("contract")})
    result = renewal = None
    contract = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        contract = data["contract"]
        try:
            if contract is not None:
                result = notice_end_for_contract(contract=contract, start=data["arrival"])
                renewal = renewal_cutoff_for_contract(contract)
            else:
                result = notice_period_end(
                    start=data["arrival"],
                    period=data["period"],
                    unit=data["unit"],
                    first_day_counts=data["first_day_counts"],
                    roll=data["roll"],
                    counted_from=data["counted_from"],
                )
        except RulesError as error:
            form.add_error(None, error.args[0])
            result = renewal = None
    return render(
        request,
        "terminations/calculator.html",
        {"form": form, "result": result, "renewal": renewal, "contract": contract},
    )
