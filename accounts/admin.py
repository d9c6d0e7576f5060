from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, Store, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "city"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Network"), {"fields": ["display_name", "store", "preferred_language"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Network"), {"fields": ["display_name", "store", "email"]}),
    ]
    list_display = ["username", "display_name", "store", "email", "is_active"]
    list_filter = [*BaseUserAdmin.list_filter, "store__region", "store"]
    list_select_related = ["store"]
    search_fields = [*BaseUserAdmin.search_fields, "display_name"]
    autocomplete_fields = ["store"]
