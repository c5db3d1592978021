from django.urls import path

import terminations.converters  # noqa: F401  (registers <caseref:…>)
from terminations.views import dashboard

urlpatterns = [
    path("my-work/", dashboard.my_work, name="my_work"),
    path("cases/export.csv", dashboard.case_export_csv, name="case_export_csv"),
    path("cases/export.xlsx", dashboard.case_export_xlsx, name="case_export_xlsx"),
    path("cases/<caseref:reference>/bundle.zip", dashboard.case_bundle, name="case_bundle"),
]
