"""Routes of the case pages (names are part of the terminations namespace)."""

from django.urls import path

import terminations.converters  # noqa: F401  (registers <caseref:…>)
from terminations.views import cases, commissions, files

urlpatterns = [
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_open, name="case_open"),
    path("cases/new/creators/", cases.case_open_creators, name="case_open_creators"),
    path("cases/<caseref:reference>/", cases.case_detail, name="case_detail"),
    path("cases/<caseref:reference>/actions/<slug:action>/", cases.case_action, name="case_action"),
    path("cases/<caseref:reference>/assessment/", cases.case_assessment, name="case_assessment"),
    path(
        "cases/<caseref:reference>/negotiation/",
        cases.case_negotiation_add,
        name="case_negotiation_add",
    ),
    path("cases/<caseref:reference>/agreement/", cases.case_agreement, name="case_agreement"),
    path("cases/<caseref:reference>/evidence/", cases.case_evidence_add, name="case_evidence_add"),
    path(
        "cases/<caseref:reference>/evidence/<int:pk>/english/",
        cases.case_evidence_english,
        name="case_evidence_english",
    ),
    path(
        "cases/<caseref:reference>/evidence/<int:pk>/file/",
        files.evidence_file,
        name="evidence_file",
    ),
    path(
        "cases/<caseref:reference>/negotiation/<int:pk>/attachment/",
        files.negotiation_attachment,
        name="negotiation_attachment",
    ),
    path(
        "cases/<caseref:reference>/files/demand-evidence/",
        files.case_demand_evidence,
        name="case_demand_evidence",
    ),
    path(
        "cases/<caseref:reference>/files/agreed-cause-evidence/",
        files.case_agreed_cause_evidence,
        name="case_agreed_cause_evidence",
    ),
    path(
        "cases/<caseref:reference>/files/confirmation/",
        files.case_confirmation,
        name="case_confirmation",
    ),
    path("cases/<caseref:reference>/owner/", cases.case_reassign, name="case_reassign"),
    path("cases/<caseref:reference>/plan/review/", cases.plan_review, name="plan_review"),
    path(
        "cases/<caseref:reference>/breach/no-demand/",
        cases.case_confirm_no_demand,
        name="case_confirm_no_demand",
    ),
    path(
        "cases/<caseref:reference>/breach/cure-outcome/",
        cases.case_cure_outcome,
        name="case_cure_outcome",
    ),
    path(
        "cases/<caseref:reference>/letters/before-items/",
        cases.case_confirm_letters_before_items,
        name="case_confirm_letters_before_items",
    ),
    path(
        "cases/<caseref:reference>/earlier-letters/keep/",
        cases.case_keep_earlier_letters,
        name="case_keep_earlier_letters",
    ),
    path(
        "cases/<caseref:reference>/handover/<int:pk>/complete/",
        cases.handover_complete,
        name="handover_complete",
    ),
    path(
        "cases/<caseref:reference>/handover/<int:pk>/waive/",
        cases.handover_waive,
        name="handover_waive",
    ),
    path(
        "cases/<caseref:reference>/handover/<int:pk>/reopen/",
        cases.handover_reopen,
        name="handover_reopen",
    ),
    path(
        "cases/<caseref:reference>/handover/<int:pk>/owner/",
        cases.handover_assign,
        name="handover_assign",
    ),
    path("cases/<caseref:reference>/settlement/", cases.settlement_add, name="settlement_add"),
    path(
        "cases/<caseref:reference>/settlement/<int:pk>/paid/",
        cases.settlement_paid,
        name="settlement_paid",
    ),
    path(
        "cases/<caseref:reference>/settlement/<int:pk>/claim/accept/",
        cases.settlement_claim_accept,
        name="settlement_claim_accept",
    ),
    path(
        "cases/<caseref:reference>/settlement/<int:pk>/claim/drop/",
        cases.settlement_claim_drop,
        name="settlement_claim_drop",
    ),
    path(
        "cases/<caseref:reference>/settlement/suggested/<slug:key>/",
        cases.settlement_suggestion_add,
        name="settlement_suggestion_add",
    ),
    path("cases/<caseref:reference>/plan/", cases.plan_record, name="plan_record"),
    path(
        "cases/<caseref:reference>/commissions/",
        commissions.commission_add,
        name="commission_add",
    ),
    path(
        "cases/<caseref:reference>/commissions/import/",
        commissions.commission_import_view,
        name="commission_import",
    ),
    path(
        "cases/<caseref:reference>/commissions/<int:pk>/status/",
        commissions.commission_status,
        name="commission_status",
    ),
]
