"""Cable page URLs."""
from django.urls import path

from cables import views

urlpatterns = [
    path("cables/", views.cable_list, name="cable-list"),
    path("cables/<str:reference_id>/", views.cable_detail, name="cable-detail"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/status/", views.import_status, name="import-status"),
]
