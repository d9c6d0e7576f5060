from django.urls import path

from practices.voice import views

urlpatterns = [
    path("voice/", views.voice, name="voice"),
    path("voice/new/", views.told_in_store, name="voice-new"),
    path("voice/<int:pk>/link/", views.link, name="voice-link"),
    path("voice/<int:pk>/confirm/", views.confirm, name="voice-confirm"),
]
