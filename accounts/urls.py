from django.urls import path

from accounts import oidc, views

app_name = "accounts"
urlpatterns = [
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/company/", oidc.company_sign_in, name="company-sign-in"),
    path("accounts/company/callback/", oidc.company_sign_in_callback, name="company-sign-in-callback"),
    path("people/<str:username>/", views.profile, name="profile"),
    path("people/<str:username>/export/", views.export, name="export"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification-open"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("digest/", views.digest_setting, name="digest-setting"),
    path("push/subscriptions/", views.push_subscribe, name="push-subscribe"),
    path("push/subscriptions/delete/", views.push_unsubscribe, name="push-unsubscribe"),
    path("feeds/links/", views.feed_links, name="feed-links"),
    path("digest/unsubscribe/<str:token>/", views.digest_unsubscribe, name="digest-unsubscribe"),
]
