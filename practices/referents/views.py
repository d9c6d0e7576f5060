"""Referents: the list everyone reads, and naming or removing them (curators)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from config.paging import page_links, page_number, paginate
from practices.access import require_perm
from practices.models import Referent
from practices.onboarding.services import Refused
from practices.referents import services as referents
from practices.referents.forms import ReferentForm


def referent_list(request: HttpRequest) -> HttpResponse:
    context = {
        "referents": list(referents.referents_for_list()),
        "can_manage": request.user.has_perm("practices.manage_referents"),
    }
    return render(request, "practices/referents/referents.html", context)


def referent_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "practices.manage_referents")
    region = request.user.store.region_id if request.user.store_id else None
    form = ReferentForm(request.POST or None, initial={"region": region})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            person, pillar, region = (form.cleaned_data[name] for name in ["username", "pillar", "region"])
            try:
                referents.referent_name(person=person, pillar=pillar, region=region, curator=request.user)
            except Refused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(
                    request,
                    _("%(name)s is now referent for %(pillar)s in %(region)s.")
                    % {"name": person.name, "pillar": pillar.label, "region": region.name},
                )
                return redirect("practices:referents")
    return render(request, "practices/referents/referent_form.html", {"form": form}, status=status)


@require_POST
def referent_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "practices.manage_referents")
    referent = get_object_or_404(Referent.objects.select_related("person", "pillar", "region"), pk=pk)
    referents.referent_remove(referent=referent)
    messages.success(
        request,
        _("%(name)s is no longer referent for %(pillar)s in %(region)s.")
        % {"name": referent.person.name, "pillar": referent.pillar.label, "region": referent.region.name},
    )
    return redirect("practices:referents")


def person_standards(request: HttpRequest, username: str) -> HttpResponse:
    """Every standard a person's stories inspired, paged (the profile shows the latest)."""
    person = get_object_or_404(User.objects.filter(is_active=True), username=username)
    page = page_number(request)
    rows, has_next = paginate(referents.person_standards(person), page)
    context = {"person": person, "standards": rows, **page_links(request, page, has_next)}
    return render(request, "practices/referents/person_standards.html", context)


def person_stories(request: HttpRequest, username: str) -> HttpResponse:
    """Every story of a person the reader may see, paged (the profile shows the latest)."""
    person = get_object_or_404(User.objects.filter(is_active=True), username=username)
    page = page_number(request)
    rows, has_next = paginate(referents.person_stories(person, request.user), page)
    context = {"person": person, "stories": rows, **page_links(request, page, has_next)}
    return render(request, "practices/referents/person_stories.html", context)
