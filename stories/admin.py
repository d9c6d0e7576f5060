from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stories import services
from stories.models import Decision, Pillar, Story, StoryPhoto, StoryRevision


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
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
class StoryAdmin(admin.ModelAdmin):
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
        for story in queryset:
            services.story_set_status(story=story, status=Story.Status.PUBLISHED)
            # In the decision log with the others (stories.models.Decision).
            services.decision_record(curator=request.user, action=Decision.Action.SHOW_STORY, story=story)

    def save_related(self, request, form, formsets, change):
        # After the tags are saved: the text's HTML and the search data follow the edit, as in story_update.
        super().save_related(request, form, formsets, change)
        services.story_reindex(story=form.instance)


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """The curators' decision log: read here, written only by the site (stories.services, practices)."""

    list_display = ["created_at", "action", "subject", "curator", "reason"]
    list_filter = ["action"]
    list_select_related = ["curator"]
    search_fields = ["subject", "reason", "curator__username"]
    fields = ["created_at", "action", "curator", "subject", "url", "reason", "story", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
