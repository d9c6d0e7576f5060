from django.urls import path

from practices.onboarding import views

urlpatterns = [
    path("library/<slug:slug>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("library/<slug:slug>/situation/", views.situation_edit, name="situation-edit"),
    path("onboarding/", views.my_paths, name="onboarding"),
    path("onboarding/cases/<slug:slug>/", views.case, name="case"),
    path("onboarding/paths/", views.paths, name="paths"),
    path("onboarding/paths/new/", views.path_new, name="path-new"),
    path("onboarding/paths/<int:pk>/", views.path_detail, name="path"),
    path("onboarding/paths/<int:pk>/edit/", views.path_edit, name="path-edit"),
    path("onboarding/paths/<int:pk>/delete/", views.path_delete, name="path-delete"),
    path("onboarding/paths/<int:pk>/steps/", views.step_add, name="step-add"),
    path("onboarding/paths/<int:pk>/steps/<int:step_pk>/", views.step_edit, name="step-edit"),
    path("onboarding/paths/<int:pk>/steps/<int:step_pk>/move/", views.step_move, name="step-move"),
    path("onboarding/paths/<int:pk>/steps/<int:step_pk>/remove/", views.step_remove, name="step-remove"),
    path("onboarding/paths/<int:pk>/people/", views.assign, name="path-assign"),
    path(
        "onboarding/paths/<int:pk>/people/<int:assignment_pk>/remove/",
        views.unassign,
        name="path-unassign",
    ),
    path("onboarding/paths/<int:pk>/progress/", views.progress, name="path-progress"),
    path("onboarding/paths/<int:pk>/progress.csv", views.progress_csv, name="path-progress-csv"),
]
