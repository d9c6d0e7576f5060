from django.urls import path

from practices import dashboard_views, onboarding_views, referent_views, views
from practices.feeds import StandardsFeed

app_name = "practices"
urlpatterns = [
    path("library/", views.library, name="library"),
    path("library/archive/", views.archive, name="archive"),
    path("library/new/", views.standard_new, name="standard-new"),
    path("library/<slug:slug>/", views.standard_detail, name="standard"),
    path("library/<slug:slug>/edit/", views.standard_edit, name="standard-edit"),
    path("library/<slug:slug>/publish/", views.standard_publish, name="standard-publish"),
    path("library/<slug:slug>/retire/", views.standard_retire, name="standard-retire"),
    path("library/<slug:slug>/review/", views.standard_review, name="standard-review"),
    path("library/<slug:slug>/revisions/<int:number>/", views.revision_detail, name="revision"),
    path("library/<slug:slug>/acknowledge/", onboarding_views.acknowledge, name="acknowledge"),
    path("library/<slug:slug>/situation/", onboarding_views.situation_edit, name="situation-edit"),
    # Before accounts' people/<username>/ (config/urls.py includes practices first).
    path("people/referents/", referent_views.referent_list, name="referents"),
    path("people/referents/new/", referent_views.referent_new, name="referent-new"),
    path("people/referents/<int:pk>/remove/", referent_views.referent_remove, name="referent-remove"),
    path("curation/", views.curation, name="curation"),
    path("curation/reviews/", views.reviews, name="reviews"),
    path("curation/stories/<int:pk>/promote/", views.promote, name="promote"),
    path("feeds/standards.atom", StandardsFeed(), name="standards-feed"),
    path("onboarding/", onboarding_views.my_paths, name="onboarding"),
    path("onboarding/cases/<slug:slug>/", onboarding_views.case, name="case"),
    path("onboarding/paths/", onboarding_views.paths, name="paths"),
    path("onboarding/paths/new/", onboarding_views.path_new, name="path-new"),
    path("onboarding/paths/<int:pk>/", onboarding_views.path_detail, name="path"),
    path("onboarding/paths/<int:pk>/edit/", onboarding_views.path_edit, name="path-edit"),
    path("onboarding/paths/<int:pk>/delete/", onboarding_views.path_delete, name="path-delete"),
    path("onboarding/paths/<int:pk>/steps/", onboarding_views.step_add, name="step-add"),
    path("onboarding/paths/<int:pk>/steps/<int:step_pk>/", onboarding_views.step_edit, name="step-edit"),
    path("onboarding/paths/<int:pk>/steps/<int:step_pk>/move/", onboarding_views.step_move, name="step-move"),
    path("onboarding/paths/<int:pk>/steps/<int:step_pk>/remove/", onboarding_views.step_remove, name="step-remove"),
    path("onboarding/paths/<int:pk>/people/", onboarding_views.assign, name="path-assign"),
    path(
        "onboarding/paths/<int:pk>/people/<int:assignment_pk>/remove/",
        onboarding_views.unassign,
        name="path-unassign",
    ),
    path("onboarding/paths/<int:pk>/progress/", onboarding_views.progress, name="path-progress"),
    path("onboarding/paths/<int:pk>/progress.csv", onboarding_views.progress_csv, name="path-progress-csv"),
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("dashboard/export/<slug:table>.csv", dashboard_views.export, name="dashboard-export"),
]
