from django.urls import path

from practices.voice import views

urlpatterns = [
    path("voice/", views.voice, name="voice"),
    path("voice/new/", views.told_in_store, name="voice-new"),
    path("voice/import/", views.upload, name="voice-import"),
    path("voice/<int:pk>/link/", views.link, name="voice-link"),
    path("voice/<int:pk>/confirm/", views.confirm, name="voice-confirm"),
    path("voice/<int:pk>/send/", views.send, name="voice-send"),
    path("voice/sent/", views.sent, name="voice-sent"),
    path("voice/sent/<int:pk>/", views.sent_detail, name="voice-sent-detail"),
]
