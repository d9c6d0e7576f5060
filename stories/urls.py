from django.urls import path

from stories import views

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
    path("stores/", views.stores, name="stores"),
    path("stores/<slug:slug>/", views.store, name="store"),
    path("stores/<slug:slug>/guestbook/", views.guestbook_write, name="guestbook-write"),
]
