"""Routes of the case pages (names are part of the terminations namespace)."""

from django.urls import path

from terminations.views import cases

urlpatterns = [
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_open, name="case_open"),
    path("cases/new/creators/", cases.case_open_creators, name="case_open_creators"),
    path("cases/<str:reference>/", cases.case_detail, name="case_detail"),
    path("cases/<str:reference>/actions/<slug:action>/", cases.case_action, name="case_action"),
    path("cases/<str:reference>/assessment/", cases.case_assessment, name="case_assessment"),
    path(
        "cases/<str:reference>/negotiation/",
        cases.case_negotiation_add,
        name="case_negotiation_add",
    ),
    path("cases/<str:reference>/agreement/", cases.case_agreement, name="case_agreement"),
    path("cases/<str:reference>/evidence/", cases.case_evidence_add, name="case_evidence_add"),
    path("cases/<str:reference>/owner/", cases.case_reassign, name="case_reassign"),
    path(
        "cases/<str:reference>/handover/<int:pk>/complete/",
        cases.handover_complete,
        name="handover_complete",
    ),
    path(
        "cases/<str:reference>/handover/<int:pk>/waive/",
        cases.handover_waive,
        name="handover_waive",
    ),
    path(
        "cases/<str:reference>/handover/<int:pk>/reopen/",
        cases.handover_reopen,
        name="handover_reopen",
    ),
    path(
        "cases/<str:reference>/handover/<int:pk>/owner/",
        cases.handover_assign,
        name="handover_assign",
    ),
    path("cases/<str:reference>/settlement/", cases.settlement_add, name="settlement_add"),
    path(
        "cases/<str:reference>/settlement/<int:pk>/paid/",
        cases.settlement_paid,
        name="settlement_paid",
    ),
    path("cases/<str:reference>/plan/", cases.plan_record, name="plan_record"),
]
