"""Loading stories for a request: 404 when the person may not see it, 403 when they may not change it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from stories.models import Comment, Story, StoryPhoto


def get_story_for_user(request: HttpRequest, pk: int, *, write: bool = False, react: bool = False) -> Story:
    """The story if the signed-in person may see it; with write, change it; with react, vote or comment on it.

    Reactions only go to published stories: a hidden or deleted one answers 404.
    """
    stories = Story.objects.visible_to(request.user)
    story = get_object_or_404(stories.published() if react else stories, pk=pk)
    if write and not story.can_edit(request.user):
        raise PermissionDenied
    return story


def get_comment_for_user(request: HttpRequest, pk: int) -> Comment:
    """A comment on a story the person can see, or 404."""
    comment = get_object_or_404(
        Comment.objects.select_related("author", "story").exclude(status=Comment.Status.DELETED), pk=pk
    )
    get_story_for_user(request, comment.story_id)
    if comment.status == Comment.Status.HIDDEN and not request.user.has_perm("stories.moderate_story"):
        raise Http404
    return comment


def get_photo_for_user(request: HttpRequest, pk: int) -> StoryPhoto:
    """The photo if the person may see its story (as get_story_for_user decides), else 404.

    One query: photos are asked for one by one, a feed page's thumbnails twenty at a time.
    (width and height: the image field reads them when the row is loaded.)
    """
    photos = StoryPhoto.objects.only("image", "thumbnail", "width", "height")
    return get_object_or_404(photos.filter(story__in=Story.objects.visible_to(request.user)), pk=pk)
