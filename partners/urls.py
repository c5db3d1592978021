from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list, name="list"),
    path("new/", views.partner_create, name="create"),
    path("import/", views.import_rows, name="import"),
    path("import/template/<str:kind>.csv", views.import_template, name="import_template"),
    path("<int:pk>/", views.partner_detail, name="detail"),
    path("<int:pk>/edit/", views.partner_edit, name="edit"),
    path("<int:pk>/archive/", views.partner_archive, name="archive"),
    path("<int:pk>/contracts/new/", views.contract_create, name="contract_create"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/document/", views.contract_document, name="contract_document"),
]
