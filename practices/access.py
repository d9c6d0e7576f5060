"""Loading standards for a request: 404 when the person may not see it, 403 when they may not change it."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from practices.models import LearningPath, PathStep, Standard


def require_perm(request: HttpRequest, permission: str) -> None:
    """403 unless the signed-in person has `permission`."""
    if not request.user.has_perm(permission):
        raise PermissionDenied


def get_standard_for_user(
    request: HttpRequest, slug: str, *, manage: bool = False, with_reading: bool = False
) -> Standard:
    """The standard if the person may see it (drafts: curators only); with manage, change it.

    with_reading adds what the person confirmed reading of it (StandardQuerySet.with_reading), in the same query.
    """
    if manage:
        require_perm(request, "practices.manage_standards")
    standards = Standard.objects.visible_to(request.user).select_related("pillar", "owner")
    if with_reading:
        standards = standards.with_reading(request.user)
    return get_object_or_404(standards, slug=slug)


def get_path_for_manager(request: HttpRequest, pk: int) -> LearningPath:
    """A learning path for a curator who manages paths: 403 for anyone else, 404 when it does not exist."""
    require_perm(request, "practices.manage_paths")
    return get_object_or_404(LearningPath.objects.select_related("audience"), pk=pk)


def get_step_for_manager(request: HttpRequest, pk: int, step_pk: int) -> PathStep:
    """A step of the path `pk`, for a curator who manages paths."""
    require_perm(request, "practices.manage_paths")
    return get_object_or_404(PathStep.objects.select_related("path", "standard"), pk=step_pk, path_id=pk)
