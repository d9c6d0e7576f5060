from django.urls import path

from stories import photo_views, views

app_name = "stories"
urlpatterns = [
    path("", views.home, name="home"),
    path("stories/", views.feed, name="feed"),
    path("stories/new/", views.new, name="new"),
    path("stories/<int:pk>/", views.detail, name="detail"),
    path("stories/<int:pk>/edit/", views.edit, name="edit"),
    path("stories/<int:pk>/delete/", views.delete, name="delete"),
    path("stories/<int:pk>/hide/", views.hide, name="hide"),
    path("stories/<int:pk>/history/", views.history, name="history"),
    path("stories/<int:pk>/vote/", views.vote, name="vote"),
    path("stories/<int:pk>/tried/", views.tried, name="tried"),
    path("stories/<int:pk>/comments/", views.comment_new, name="comment-new"),
    path("stories/<int:pk>/flag/", views.flag, name="flag"),
    path("stories/<int:pk>/comments/<int:comment_pk>/flag/", views.flag, name="comment-flag"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment-delete"),
    path("comments/<int:pk>/hide/", views.comment_hide, name="comment-hide"),
    path("curation/flags/", views.flags, name="flags"),
    path("curation/flags/<int:pk>/", views.flag_decide, name="flag-decide"),
    path("photos/<int:pk>/<str:variant>/", photo_views.photo, name="photo"),
    path("stores/", views.stores, name="stores"),
    path("stores/<slug:slug>/", views.store, name="store"),
    path("stores/<slug:slug>/guestbook/", views.guestbook_write, name="guestbook-write"),
]
