from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stories.listing import lists_changed, stories_changed
from stories.markdown import render_markdown
from stories.models import Pillar, Story, StoryPhoto, StoryRevision


class CachedRowsMixin:
    """Every change made on these admin pages reaches the cached rows of stories (stories.listing) at once."""

    def rows_changed(self, pks: list[int]) -> None:
        lists_changed()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.rows_changed([obj.pk])

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        self.rows_changed([pk])

    def delete_queryset(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        self.rows_changed(pks)


@admin.register(Pillar)
class PillarAdmin(CachedRowsMixin, admin.ModelAdmin):
    """Pillars are listed in the feed's cached filter form (at once) and on cards (when they expire)."""

    list_display = ["name", "name_fr", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}


class StoryPhotoInline(admin.TabularInline):
    model = StoryPhoto
    extra = 0
    fields = ["preview", "alt_text", "position"]
    readonly_fields = ["preview"]

    @admin.display(description=_("photo"))
    def preview(self, photo: StoryPhoto) -> str:
        # Through the photo view, like everywhere else: files have no public URL.
        if not photo.pk:
            return ""
        return format_html('<a href="{}"><img src="{}" alt="" width="120"></a>', photo.url, photo.thumbnail_url)


class StoryRevisionInline(admin.TabularInline):
    model = StoryRevision
    extra = 0
    fields = ["edited_at", "editor", "title", "body"]
    readonly_fields = fields
    can_delete = False


@admin.register(Story)
class StoryAdmin(CachedRowsMixin, admin.ModelAdmin):
    """Administrators recover deleted stories here by setting the status back to published."""

    list_display = ["title", "kind", "author", "store", "status", "published_at", "vote_count"]
    list_filter = ["status", "kind", "pillar", "store__region", "language"]
    list_select_related = ["author", "store"]
    search_fields = ["title", "body", "author__username"]
    raw_id_fields = ["author"]
    readonly_fields = ["created_at", "updated_at", "vote_count", "voter_store_count", "tried_count", "comment_count"]
    inlines = [StoryPhotoInline, StoryRevisionInline]
    actions = ["restore"]

    @admin.action(description=_("Publish again (restore deleted or hidden stories)"))
    def restore(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        queryset.update(status=Story.Status.PUBLISHED)
        self.rows_changed(pks)

    def rows_changed(self, pks: list[int]) -> None:
        lists_changed()
        stories_changed(pks)

    def save_model(self, request, obj, form, change):
        obj.body_html = render_markdown(obj.body)
        super().save_model(request, obj, form, change)
