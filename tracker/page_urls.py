"""Requirement-set page URLs."""
from django.urls import path, re_path

from tracker import report_views, response_views, views

urlpatterns = [
    path("dashboard/", report_views.dashboard_page, name="dashboard"),
    re_path(r"^dashboard/export\.(?P<fmt>csv|xlsx)$", report_views.dashboard_export, name="dashboard-export"),
    path("dashboard/print/", report_views.dashboard_print, name="dashboard-print"),
    re_path(r"^requirement-sets/(?P<pk>[0-9]+)/report\.(?P<fmt>csv|xlsx)$", report_views.set_report_export,
            name="requirement-set-export"),
    path("requirement-sets/<int:pk>/print/", report_views.set_report_print, name="requirement-set-print"),
    path("requirement-sets/", views.requirement_set_list, name="requirement-set-list"),
    path("requirement-sets/candidates/", views.candidate_list, name="candidate-list"),
    path("requirement-sets/create/", views.requirement_set_create, name="requirement-set-create"),
    path("requirement-sets/<int:pk>/", views.requirement_set_detail, name="requirement-set-detail"),
    path("requirement-sets/<int:pk>/edit/", views.requirement_set_edit, name="requirement-set-edit"),
    path("requirement-sets/<int:pk>/reextract/", views.requirement_set_reextract, name="requirement-set-reextract"),
    path("requirement-sets/<int:pk>/questions/add/", views.question_add, name="question-add"),
    path("requirement-sets/<int:pk>/sections/add/", views.section_add, name="section-add"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question-edit"),
    path("questions/<int:pk>/split/", views.question_split, name="question-split"),
    path("questions/<int:pk>/merge/", views.question_merge, name="question-merge"),
    path("questions/<int:pk>/move/", views.question_move, name="question-move"),
    path("questions/<int:pk>/retire/", views.question_retire, name="question-retire"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section-edit"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal-decide"),
    path("questions/<int:pk>/", response_views.question_detail, name="question-detail"),
    path("responses/new/", response_views.response_create, name="response-create"),
    path("responses/waiting/", response_views.waiting_list, name="waiting-list"),
    path("responses/<int:pk>/edit/", response_views.response_edit, name="response-edit"),
    path("responses/<int:pk>/retract/", response_views.response_retract, name="response-retract"),
    path("responses/<int:pk>/confirm/", response_views.response_confirm, name="response-confirm"),
    path("suggestions/<int:pk>/decide/", response_views.suggestion_decide, name="suggestion-decide"),
    path("questions/<int:pk>/suggestions/reject/", response_views.suggestions_reject, name="suggestions-reject"),
    path("lookup/cables/", response_views.cable_lookup, name="cable-lookup"),
]
