"""The voice of the customer in the admin: the pillar word lists curators edit, and the feedback itself."""

from django.contrib import admin

from practices.models import Feedback, PillarWords, StandardSend


@admin.register(PillarWords)
class PillarWordsAdmin(admin.ModelAdmin):
    list_display = ["pillar", "language"]
    list_filter = ["language", "pillar"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["date", "store", "source", "rating", "sentiment"]
    list_filter = ["source", "sentiment"]
    raw_id_fields = ["store", "stories", "suggested_standards", "suggested_stories", "recorded_by", "confirmed_by"]
    search_fields = ["external_id"]


@admin.register(StandardSend)
class StandardSendAdmin(admin.ModelAdmin):
    list_display = ["standard", "store", "sent_at", "sent_by"]
    list_filter = ["store"]
    raw_id_fields = ["standard", "store", "feedback", "sent_by"]
