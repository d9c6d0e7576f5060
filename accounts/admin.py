from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts import roster_admin
from accounts.models import Region, Store, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "store_code", "city", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "city", "store_code"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Network"), {"fields": ["display_name", "store", "employee_id", "preferred_language", "language"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Network"), {"fields": ["display_name", "store", "email"]}),
    ]
    list_display = ["username", "display_name", "store", "email", "employee_id", "is_active"]
    list_filter = [*BaseUserAdmin.list_filter, "store__region", "store"]
    list_select_related = ["store"]
    search_fields = [*BaseUserAdmin.search_fields, "display_name", "employee_id"]
    autocomplete_fields = ["store"]

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(lambda request, **kw: function(request, self, **kw))

        return [
            path("roster/", view(roster_admin.roster_upload), name="accounts_user_roster"),
            path("roster/<int:pk>/", view(roster_admin.roster_status), name="accounts_user_roster_status"),
            path("roster/<int:pk>/apply/", view(roster_admin.roster_apply), name="accounts_user_roster_apply"),
            *super().get_urls(),
        ]
