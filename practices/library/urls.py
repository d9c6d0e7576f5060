from django.urls import path

from practices.library import views
from practices.library.feeds import StandardsFeed

urlpatterns = [
    path("library/", views.library, name="library"),
    path("search/suggest/", views.suggest, name="suggest"),
    path("library/archive/", views.archive, name="archive"),
    path("library/new/", views.standard_new, name="standard-new"),
    path("library/<slug:slug>/", views.standard_detail, name="standard"),
    path("library/<slug:slug>/edit/", views.standard_edit, name="standard-edit"),
    path("library/<slug:slug>/publish/", views.standard_publish, name="standard-publish"),
    path("library/<slug:slug>/retire/", views.standard_retire, name="standard-retire"),
    path("library/<slug:slug>/review/", views.standard_review, name="standard-review"),
    path("library/<slug:slug>/revisions/<int:number>/", views.revision_detail, name="revision"),
    path("curation/", views.curation, name="curation"),
    path("curation/reviews/", views.reviews, name="reviews"),
    path("curation/stories/<int:pk>/promote/", views.promote, name="promote"),
    path("feeds/standards.atom", StandardsFeed(), name="standards-feed"),
]
