"""Loading standards for a request: 404 when the person may not see it, 403 when they may not change it."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from practices.models import Standard


def require_perm(request: HttpRequest, permission: str) -> None:
    """403 unless the signed-in person has `permission`."""
    if not request.user.has_perm(permission):
        raise PermissionDenied


def get_standard_for_user(request: HttpRequest, slug: str, *, manage: bool = False) -> Standard:
    """The standard if the person may see it (drafts: curators only); with manage, change it."""
    if manage:
        require_perm(request, "practices.manage_standards")
    standards = Standard.objects.visible_to(request.user).select_related("pillar", "owner")
    return get_object_or_404(standards, slug=slug)
