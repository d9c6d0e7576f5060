"""Loading stories for a request: 404 when the person may not see it, 403 when they may not change it."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from stories.models import Story


def get_story_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Story:
    """The story if the signed-in person may see it (and, with write, change it)."""
    story = get_object_or_404(
        Story.objects.visible_to(request.user).select_related("author", "store__region", "pillar"), pk=pk
    )
    if write and not story.can_edit(request.user):
        raise PermissionDenied
    return story
