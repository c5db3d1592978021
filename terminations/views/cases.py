"""The staff pages of a termination case: the list, opening cases, the case page and its actions.

Every view: access-checked getter, validate a form, call ONE service, flash, redirect. Bad input
re-renders the case page (status 200) with the bound form in place of the blank one, so the error
shows next to the field with what was typed kept, and nothing is changed. A refused change
(TransitionError) is a flashed error and a redirect back, with nothing changed.
"""

from __future__ import annotations

from copy import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import roles
from core.validators import row_id
from partners.models import Contract, Partner
from terminations import selectors, services, transitions
from terminations.filters import CaseFilter
from terminations.forms.cases import (
    AgreementForm,
    AssessmentForm,
    CaseOpenForm,
    ClaimAcceptForm,
    ClaimDropForm,
    CommissionForm,
    CommissionStatusForm,
    CreatorsOpenForm,
    CureOutcomeForm,
    EvidenceEnglishForm,
    EvidenceForm,
    HandoverNoteForm,
    HandoverOwnerForm,
    HandoverWaiveForm,
    NegotiationForm,
    NoDemandForm,
    PlanForm,
    PlanReviewForm,
    ReasonForm,
    ReassignForm,
    SettlementLineForm,
    SettlementPaidForm,
)
from terminations.models import (
    EvidenceFile,
    HandoverItem,
    NegotiationEntry,
    SettlementLine,
    Stage,
    TerminationCase,
)
from terminations.services._base import TransitionError

PAGE_SIZE = 25
# The status of the case page re-shown with a form's errors (the page itself is whole).
INVALID_STATUS = 200

# --- Access: every view goes through one of these -----------------------------------------


def _require_view(request: HttpRequest) -> None:
    if not roles.can_view(request.user):
        raise PermissionDenied


def _require_edit(request: HttpRequest) -> None:
    if not roles.can_edit(request.user):
        raise PermissionDenied


def _case_for_view(request: HttpRequest, reference: str) -> TerminationCase:
    _require_view(request)
    return selectors.case_detail(reference)


def _case_for_edit(request: HttpRequest, reference: str) -> TerminationCase:
    _require_edit(request)
    return get_object_or_404(
        TerminationCase.objects.select_related("partner", "contract"), reference=reference
    )


def _child_for_edit(request: HttpRequest, queryset: QuerySet, reference: str, pk: int):
    _require_edit(request)
    return get_object_or_404(queryset.select_related("case"), pk=pk, case__reference=reference)


def _back(case: TerminationCase, anchor: str = "") -> HttpResponseRedirect:
    return redirect(case.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _refused(request: HttpRequest, case: TerminationCase, error: TransitionError, anchor: str = ""):
    messages.error(request, str(error))
    return _back(case, anchor)


def _invalid(request: HttpRequest, reference: str, anchor: str, **bound) -> HttpResponse:
    """Bad input: the case page again (same queries as a GET), with the bound form(s) passed by
    name in place of the blank ones; `anchor` is the section the alert at the top links to."""
    case = selectors.case_detail(reference)
    context = _detail_context(request, case)
    context.update(bound)
    context["invalid_anchor"] = anchor
    # The section holding the form with errors is shown open, whatever the stage.
    context["sections"] = _sections(case, context, anchor)
    return render(request, "terminations/case_detail.html", context, status=INVALID_STATUS)


# --- The list ----------------------------------------------------------------------------


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    filterset: CaseFilter = selectors.case_filterset(user=request.user, filters=request.GET)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.annotate_days_left(page.object_list)
    return render(
        request,
        "terminations/case_list.html",
        {"filter": filterset, "page": page, "cases": page.object_list},
    )


# --- Opening cases ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    _require_edit(request)
    if request.method == "POST":
        form = CaseOpenForm(request.POST)
        if form.is_valid():
            try:
                case = services.case_open(**form.service_kwargs(), opened_by=request.user)
            except TransitionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Case %(reference)s was opened.") % {"reference": case.reference}
                )
                return redirect(case)
    else:
        initial = {}
        partner_id, contract_id = (
            row_id(request.GET.get("partner", "")),
            row_id(request.GET.get("contract", "")),
        )
        if partner_id:
            initial["partner"] = Partner.objects.filter(pk=partner_id).first()
        if contract_id:
            contract = Contract.objects.filter(pk=contract_id).first()
            if contract:
                initial["contract"] = contract
                initial.setdefault("partner", contract.partner)
        if initial.get("partner") and "contract" not in initial:
            # A partner with one contract: that is the one being ended.
            only = list(Contract.objects.filter(partner=initial["partner"])[:2])
            if len(only) == 1:
                initial["contract"] = only[0]
        form = CaseOpenForm(initial={k: v for k, v in initial.items() if v})
    return render(request, "terminations/case_open.html", {"form": form})


@require_http_methods(["GET", "POST"])
def case_open_creators(request: HttpRequest) -> HttpResponse:
    _require_edit(request)
    form = CreatorsOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cases = services.cases_open_for_creators(
                partners=list(form.cleaned_data["partners"]),
                reason_category=form.cleaned_data["reason_category"],
                facts=form.cleaned_data["facts"],
                opened_by=request.user,
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(count)d cases were opened: %(references)s")
                % {"count": len(cases), "references": ", ".join(c.reference for c in cases)},
            )
            return redirect(reverse("terminations:case_list") + "?stage=open&o=-opened")
    return render(request, "terminations/case_open_creators.html", {"form": form})


# --- The case page ------------------------------------------------------------------------


def _detail_context(request: HttpRequest, case: TerminationCase) -> dict:
    user = request.user
    editable = roles.can_edit(user) and case.is_open
    plan = selectors.case_plan(case)
    context = {
        "case": case,
        "progress": selectors.stage_progress(case),
        "deadline": selectors.case_deadline(case),
        "actions": transitions.available_actions(case, user),
        "plan": plan,
        "warnings": services.case_warnings(case) if case.is_open else [],
        "timeline": selectors.case_timeline(case),
        "earlier_letters": services.earlier_letters(case),
        "cure": services.cure_period_end(case)
        if case.stage == Stage.NOTICE and case.basis == "breach" and not case.cure_outcome
        else None,
        "before_letter_open": services.before_letter_items_open(case)
        if case.is_open and not case.before_letter_items_confirmed_at
        else [],
        "editable": editable,
        # The step agreed with the partner matters while talks go on, not once the letter is out.
        "next_negotiation_step": next(
            (e for e in reversed(case.negotiations.all()) if e.next_step), None
        )
        if case.stage == Stage.NEGOTIATION
        else None,
        "letter_steps": selectors.letter_next_steps(case),
        "can_draft_letters": case.stage in services.DRAFTING_STAGES,
    }
    if roles.can_edit(user):
        context.update(
            {
                "reason_form": ReasonForm(),
                "no_demand_form": NoDemandForm(),
                "cure_form": CureOutcomeForm(),
                "plan_review_form": PlanReviewForm(
                    initial={"reviewed_on": selectors.local_today()}
                ),
                "reassign_form": ReassignForm(initial={"owner": case.owner_id}),
                "evidence_form": EvidenceForm(),
                "negotiation_form": NegotiationForm(),
                "agreement_form": AgreementForm(
                    initial={
                        "agreed_on": case.agreed_on,
                        "agreed_end_date": case.agreed_end_date,
                        "terms": case.agreed_terms,
                        "terms_en": case.agreed_terms_en,
                    }
                ),
                "assessment_form": AssessmentForm(instance=copy(case)),
                "settlement_form": SettlementLineForm(),
                "plan_form": PlanForm(instance=copy(plan) if plan else None),
                # Who a checklist item can be given to (one query, whatever the item count).
                "owners": list(selectors.assignable_users()),
            }
        )
        if case.stage in (Stage.HANDOVER, Stage.REVIEW):
            try:
                context["suggestions"] = selectors.localized_suggestions(
                    services.settlement_suggest(case=case)
                )
            except TransitionError as error:
                context["suggestion_error"] = str(error)
    if case.stage in (Stage.HANDOVER, Stage.REVIEW, Stage.CLOSED):
        context["net"] = services.settlement_net(case=case)
    context["commissions"] = selectors.case_commissions(case)
    if context["commissions"] is not None and roles.can_edit(user):
        context["commission_form"] = CommissionForm()
        context["commission_status_form"] = CommissionStatusForm()
    context["sections"] = _sections(case, context)
    return context


def _sections(case: TerminationCase, context: dict, invalid_anchor: str = ""):
    return selectors.case_sections(
        case,
        commissions=context["commissions"],
        before_letter_open=context["before_letter_open"],
        invalid_anchor=invalid_anchor,
    )


@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for_view(request, reference)
    return render(request, "terminations/case_detail.html", _detail_context(request, case))


@require_POST
def case_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    case = _case_for_edit(request, reference)
    transition = transitions.TRANSITIONS.get(action)
    if transition is None:
        raise Http404
    # The service performing each move is named in the transition data, written once.
    service = getattr(services, transition.service)
    kwargs = {}
    if transition.needs_reason:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return _invalid(request, reference, "actions", reason_form=form, reason_action=action)
        kwargs["reason"] = form.cleaned_data["reason"]
    try:
        case = service(case=case, by=request.user, **kwargs)
    except TransitionError as error:
        return _refused(request, case, error, error.anchor or "actions")
    messages.success(
        request,
        _("Done: the case is now at stage “%(stage)s”.") % {"stage": case.get_stage_display()},
    )
    return _back(case)


@require_POST
def plan_review(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for_edit(request, reference)
    form = PlanReviewForm(request.POST)
    if not form.is_valid():
        return _invalid(request, reference, "plan", plan_review_form=form)
    try:
        services.plan_record_review(case=case, by=request.user, **form.cleaned_data)
    except TransitionError as error:
        return _refused(request, case, error, "plan")
    messages.success(request, _("The review of the plan was recorded."))
    return _back(case, "plan")


@require_POST
def case_confirm_no_demand(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for_edit(request, reference)
    form = NoDemandForm(request.POST)
    if not form.is_valid():
        return _invalid(request, reference, "no-demand", no_demand_form=form)
    try:
        services.case_confirm_no_demand(case=case, by=request.user, **form.cleaned_data)
    except TransitionError as error:
        return _refused(request, case, error, "assessment")
    messages.success(request, _("Recorded: this termination for breach needs no prior demand."))
    return _back(case, "assessment")


@require_POST
def case_cure_outcome(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for_edit(request, reference)
    form = CureOutcomeForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, reference, "cure-outcome", cure_form=form)
    try:
        case = services.case_record_cure_outcome(case=case, by=request.user, **form.cleaned_data)
    except TransitionError as error:
        return _refused(request, case, error, error.anchor or "letters")
    messages.success(request, _("The outcome of the cure notice was recorded."))
    return _back(case, "status")


@require_POST
def case_confirm_letters_before_items(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for_edit(request, reference)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _invalid(request, reference, "before-letter-items", before_letter_form=form)
    try:
        services.case_confirm_letters_before_items(
            case=case, by=request.user, reason=form.cleaned_data["reason"]
        )
    except TransitionError as error:
        return _refused(request, case, error, "letters")
    messages.success(request, _("Recorded: letters may go out before these items are done."))
    return _back(case, "letters")


@require_POST
def case_keep_earlier_letters(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for_edit(request, reference)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _invalid(request, reference, "status", keep_letters_form=form)
    try:
        services.case_keep_earlier_letters(
            case=case, by=request.user, note=form.cleaned_data["reason"]
        )
    except TransitionError as error:
        return _refused(request, case, error, "status")
    messages.success(request, _("Recorded: the letters stand as issued."))
    return _back(case, "status")


@require_POST
def case_assessment(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for_edit(request, reference)
    form = AssessmentForm(request.POST, request.FILES, instance=copy(case))
    if not form.is_valid():
        return _invalid(request, reference, "assessment", assessment_form=form)
    try:
        services.case_update_assessment(case=case, by=request.user, **form.cleaned_data)
    except TransitionError as error:
        return _refused(request, case, error, "assessment")
    messages.success(request, _("The assessment was saved."))
    return _back(case, "assessment")


@require_POST
def case_negotiation_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for_edit(request, reference)
    form = NegotiationForm(request.POST, request.FILES, instance=NegotiationEntry(case=case))
    if not form.is_valid():
        return _invalid(request, reference, "negotiation", negotiation_form=form)
    try:
        services.negotiation_log(case=case, by=request.user, **form.cleaned_data)
    except TransitionError as error:
        return _refused(request, case, error, "negotiation")
    messages.success(request, _("The contact was logged."))
    return _back(case, "negotiation")


@require_POST
def case_agreement(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for_edit(request, reference)
    form = AgreementForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, reference, "agreement", agreement_form=form)
    try:
        services.agreement_record(case=case, by=request.user, **form.cleaned_data)
    except TransitionError as error:
        return _refused(request, case, error, "negotiation")
    messages.success(request, _("The agreement was recorded."))
    return _back(case, "negotiation")


@require_POST
def case_evidence_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for_edit(request, reference)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, reference, "evidence", evidence_form=form)
    try:
        services.case_add_evidence(case=case, by=request.user, **form.cleaned_data)
    except TransitionError as error:
        return _refused(request, case, error, "evidence")
    messages.success(request, _("The evidence was added."))
    return _back(case, "evidence")


@require_POST
def case_evidence_english(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """The English description of one piece of evidence (for English or bilingual letters)."""
    evidence = _child_for_edit(request, EvidenceFile.objects, reference, pk)
    form = EvidenceEnglishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the English description."))
        return _back(evidence.case, "evidence")
    try:
        services.evidence_describe_in_english(
            evidence=evidence, by=request.user, text=form.cleaned_data["description_en"]
        )
    except TransitionError as error:
        return _refused(request, evidence.case, error, "evidence")
    messages.success(request, _("The English description was saved."))
    return _back(evidence.case, "evidence")


@require_POST
def case_reassign(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for_edit(request, reference)
    form = ReassignForm(request.POST)
    if not form.is_valid():
        return _invalid(request, reference, "actions", reassign_form=form)
    try:
        services.case_reassign(case=case, by=request.user, owner=form.cleaned_data["owner"])
    except TransitionError as error:
        return _refused(request, case, error)
    messages.success(request, _("The owner was changed."))
    return _back(case)


# --- Handover checklist (htmx swaps the one row; without JavaScript the page reloads) ----------


def _handover_row(request: HttpRequest, item: HandoverItem, **extra) -> HttpResponse:
    """The one checklist row, for an htmx swap (with the error and what was typed, if any)."""
    item = HandoverItem.objects.select_related("case", "owner", "completed_by").get(pk=item.pk)
    context = {
        "item": item,
        "case": item.case,
        "editable": item.case.is_open,
        "owners": list(selectors.assignable_users()),
        **extra,
    }
    return render(request, "terminations/_case_handover.html#handover_row", context)


def _handover_change(
    request: HttpRequest,
    reference: str,
    pk: int,
    *,
    action: str,
    form_class,
    service,
    success: str,
) -> HttpResponse:
    item = _child_for_edit(request, HandoverItem.objects.all(), reference, pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        bound = {"handover_form": form, "handover_item": item.pk, "handover_action": action}
        if request.htmx:
            error = " ".join(str(e) for errors in form.errors.values() for e in errors)
            return _handover_row(request, item, row_error=error, **bound)
        return _invalid(request, reference, f"item-{item.pk}", **bound)
    kwargs = form.cleaned_data if form is not None else {}
    try:
        service(item=item, by=request.user, **kwargs)
    except TransitionError as error:
        if request.htmx:
            return _handover_row(request, item, row_error=str(error))
        messages.error(request, str(error))
        return _back(item.case, f"item-{item.pk}")
    if request.htmx:
        return _handover_row(request, item)
    messages.success(request, success)
    return _back(item.case, f"item-{item.pk}")


@require_POST
def handover_complete(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    return _handover_change(
        request,
        reference,
        pk,
        action="complete",
        form_class=HandoverNoteForm,
        service=services.handover_item_complete,
        success=_("The item was marked done."),
    )


@require_POST
def handover_waive(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    return _handover_change(
        request,
        reference,
        pk,
        action="waive",
        form_class=HandoverWaiveForm,
        service=services.handover_item_waive,
        success=_("The item was waived."),
    )


@require_POST
def handover_reopen(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    return _handover_change(
        request,
        reference,
        pk,
        action="reopen",
        form_class=None,
        service=services.handover_item_reopen,
        success=_("The item was reopened."),
    )


@require_POST
def handover_assign(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Give one checklist item an owner (staff or a manager), or none."""
    return _handover_change(
        request,
        reference,
        pk,
        action="assign",
        form_class=HandoverOwnerForm,
        service=services.handover_item_assign,
        success=_("The item's owner was changed."),
    )


# --- Settlement and plan ------------------------------------------------------------------


@require_POST
def settlement_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for_edit(request, reference)
    form = SettlementLineForm(request.POST, instance=SettlementLine(case=case))
    if not form.is_valid():
        return _invalid(request, reference, "settlement", settlement_form=form)
    try:
        services.settlement_line_add(case=case, by=request.user, **form.cleaned_data)
    except TransitionError as error:
        return _refused(request, case, error, "settlement")
    messages.success(request, _("The settlement line was added."))
    return _back(case, "settlement")


@require_POST
def settlement_suggestion_add(request: HttpRequest, reference: str, key: str) -> HttpResponse:
    """Add a line the contract suggests (recomputed by the service, never read from the form);
    a manager confirms an exposure of the shop as its debt."""
    case = _case_for_edit(request, reference)
    try:
        line = services.settlement_suggestion_add(case=case, by=request.user, key=key)
    except TransitionError as error:
        return _refused(request, case, error, "settlement")
    messages.success(
        request,
        _("The line was added: %(line)s.") % {"line": line.description or line.get_kind_display()},
    )
    return _back(case, "settlement")


@require_POST
def settlement_paid(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    line = _child_for_edit(request, SettlementLine.objects.all(), reference, pk)
    form = SettlementPaidForm(request.POST)
    if not form.is_valid():
        return _invalid(request, reference, f"line-{line.pk}", paid_form=form, paid_line=line.pk)
    try:
        services.settlement_line_mark_paid(
            line=line, by=request.user, paid_on=form.cleaned_data["paid_on"]
        )
    except TransitionError as error:
        return _refused(request, line.case, error, "settlement")
    messages.success(request, _("The payment was recorded."))
    return _back(line.case, "settlement")


def _claim_outcome(request, reference, pk, form_class, service, done: str) -> HttpResponse:
    """A claim's outcome (the partner accepted it, or the shop drops it): bad input or a refusal
    is said at the claim's row and changes nothing."""
    line = _child_for_edit(request, SettlementLine.objects.all(), reference, pk)
    anchor = f"line-{line.pk}"
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(line.case, anchor)
    try:
        service(line=line, by=request.user, **form.cleaned_data)
    except TransitionError as error:
        return _refused(request, line.case, error, anchor)
    messages.success(request, done)
    return _back(line.case, anchor)


@require_POST
def settlement_claim_accept(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    return _claim_outcome(
        request,
        reference,
        pk,
        ClaimAcceptForm,
        services.settlement_claim_accept,
        _("The claim is now an agreed line, counted in the net."),
    )


@require_POST
def settlement_claim_drop(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    return _claim_outcome(
        request,
        reference,
        pk,
        ClaimDropForm,
        services.settlement_claim_drop,
        _("The claim was dropped."),
    )


@require_POST
def plan_record(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for_edit(request, reference)
    existing = selectors.case_plan(TerminationCase.objects.select_related("plan").get(pk=case.pk))
    form = PlanForm(request.POST, instance=copy(existing) if existing else None)
    if not form.is_valid():
        return _invalid(request, reference, "plan", plan_form=form)
    try:
        services.plan_record(case=case, by=request.user, **form.cleaned_data)
    except TransitionError as error:
        return _refused(request, case, error, "plan")
    messages.success(request, _("The plan was recorded."))
    return _back(case, "plan")
