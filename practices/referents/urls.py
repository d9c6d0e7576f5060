from django.urls import path

from practices.referents import views

urlpatterns = [
    # Before accounts' people/<username>/ (config/urls.py includes practices first).
    path("people/referents/", views.referent_list, name="referents"),
    path("people/referents/new/", views.referent_new, name="referent-new"),
    path("people/referents/<int:pk>/remove/", views.referent_remove, name="referent-remove"),
    path("people/<str:username>/standards/", views.person_standards, name="person-standards"),
    path("people/<str:username>/stories/", views.person_stories, name="person-stories"),
]
