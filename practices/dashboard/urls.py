from django.urls import path

from practices.dashboard import views

urlpatterns = [
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/export/<slug:table>.csv", views.export, name="dashboard-export"),
]
