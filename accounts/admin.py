from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts import erasure_admin, roster_admin
from accounts.models import PushSubscription, Region, Store, User
from accounts.services import password_changed


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
        (
            _("Network"),
            {
                "fields": [
                    "display_name",
                    "store",
                    "employee_id",
                    "preferred_language",
                    "language",
                    "browser_language",
                    "erased_at",
                ]
            },
        ),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Network"), {"fields": ["display_name", "store", "email"]}),
    ]
    list_display = ["username", "display_name", "store", "email", "employee_id", "is_active"]
    readonly_fields = ["browser_language", "erased_at"]
    list_filter = [*BaseUserAdmin.list_filter, "store__region", "store"]
    list_select_related = ["store"]
    search_fields = [*BaseUserAdmin.search_fields, "display_name", "employee_id"]
    autocomplete_fields = ["store"]
    actions = ["erase"]

    @admin.action(description=_("Erase the selected people's data (on their request)"), permissions=["erase"])
    def erase(self, request, queryset):
        return redirect(erasure_admin.erase_url(queryset.values_list("pk", flat=True)))

    def user_change_password(self, request, id, form_url=""):
        """Django's password page; a new password also makes new private feed links (accounts/feeds.py)."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            person = self.get_object(request, unquote(id))
            if person is not None:
                password_changed(user=person)
        return response

    def has_erase_permission(self, request) -> bool:
        return request.user.has_perm("accounts.erase_user")

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(lambda request, **kw: function(request, self, **kw))

        return [
            path("erase/", view(erasure_admin.erase_people), name="accounts_user_erase"),
            path("roster/", view(roster_admin.roster_upload), name="accounts_user_roster"),
            path("roster/<int:pk>/", view(roster_admin.roster_status), name="accounts_user_roster_status"),
            path("roster/<int:pk>/apply/", view(roster_admin.roster_apply), name="accounts_user_roster_apply"),
            *super().get_urls(),
        ]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    """The devices that receive people's notifications: to see them or remove one (the person can, on their profile)."""

    list_display = ["person", "kinds", "created_at"]
    search_fields = ["person__username"]
    readonly_fields = ["person", "endpoint", "p256dh", "auth", "kinds", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False
