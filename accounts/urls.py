from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("people/<str:username>/", views.profile, name="profile"),
]
