from functools import reduce
from operator import or_

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, QuerySet
from django.db.models.functions import Greatest, Log
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.paging import page_links, page_number, paginate
from practices import services
from practices.access import get_standard_for_user, require_perm
from practices.forms import CurationFilterForm, LibraryFilterForm, PromoteForm, StandardForm
from practices.models import LearningPath, Promotion, Standard
from practices.referents import referent_scopes
from practices.search import search
from stories.access import get_story_for_user
from stories.models import EXTRA_STORE_WEIGHT, TRIED_WEIGHT, Pillar, Story

LIBRARY_SORTS = {
    "new": ["-published_at", "-pk"],
    "used": ["-tried_total", "-source_count", "title"],
    "title": ["title", "pk"],
}
SEARCH_STORIES = 10


def library(request: HttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET)
    filters = form.filters()
    standards = Standard.objects.published()
    if filters.get("pillar"):
        standards = standards.filter(pillar=filters["pillar"])
    if filters.get("tag"):
        standards = standards.filter(tags__slug=filters["tag"])
    stories = []
    if filters["q"]:
        results = search(filters["q"], standards=standards, stories=Story.objects.published())
        standards = results.standards.for_list()
        stories = list(results.stories.select_related("author", "store")[:SEARCH_STORIES])
    else:
        standards = standards.for_list().order_by(*LIBRARY_SORTS[filters["sort"]])
    page = page_number(request)
    rows, has_next = paginate(standards, page)
    context = {
        "form": form,
        "filters": filters,
        "standards": rows,
        "stories": stories,
        **page_links(request, page, has_next),
        # One list for the drop-down and the pillar links (the form's widget would query again).
        "pillars": list(Pillar.objects.all()),
    }
    template = "practices/library.html#results" if request.headers.get("HX-Request") else "practices/library.html"
    return render(request, template, context)


def archive(request: HttpRequest) -> HttpResponse:
    page = page_number(request)
    retired = Standard.objects.filter(status=Standard.Status.RETIRED).order_by("-retired_at", "-pk")
    rows, has_next = paginate(retired.for_list(), page)
    return render(request, "practices/archive.html", {"standards": rows, **page_links(request, page, has_next)})


def standard_detail(request: HttpRequest, slug: str) -> HttpResponse:
    standard = get_standard_for_user(request, slug, with_reading=True)
    promotions = standard.promotions.select_related("story__author", "story__store", "curator")
    revisions = list(standard.revisions.select_related("editor"))
    read_before = standard.read_revision is not None and not standard.is_read
    context = {
        "standard": standard,
        "tags": list(standard.tags.all()),
        "promotions": list(promotions),
        "revisions": revisions,
        # Read before a material change: what changed since the revision the person confirmed.
        "changes": [revision for revision in revisions if revision.number > standard.read_revision]
        if read_before
        else [],
        "can_manage": request.user.has_perm("practices.manage_standards"),
    }
    if context["can_manage"] and standard.path_count:
        context["paths"] = list(LearningPath.objects.filter(steps__standard=standard).distinct())
    return render(request, "practices/standard.html", context)


def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    standard = get_standard_for_user(request, slug)
    revision = get_object_or_404(standard.revisions.select_related("editor"), number=number)
    return render(request, "practices/revision.html", {"standard": standard, "revision": revision})


def standard_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "practices.manage_standards")
    form = StandardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        standard = services.standard_create(
            owner=request.user, review_at=form.cleaned_data["review_at"], **form.standard_fields()
        )
        messages.success(request, _("The standard is saved as a draft. Publish it when it is ready."))
        return redirect(standard)
    return render(request, "practices/standard_form.html", {"form": form})


def standard_edit(request: HttpRequest, slug: str) -> HttpResponse:
    standard = get_standard_for_user(request, slug, manage=True)
    initial = {"tags": ", ".join(sorted(standard.tags.names()))}
    form = StandardForm(request.POST or None, instance=standard, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.standard_update(
            standard=standard,
            editor=request.user,
            review_at=form.cleaned_data["review_at"],
            change_note=form.cleaned_data.get("change_note", ""),
            material=form.cleaned_data.get("material", False),
            **form.standard_fields(),
        )
        if form.is_revision:
            messages.success(request, _("Revision published. The earlier text stays readable."))
        else:
            messages.success(request, _("Your changes are saved."))
        return redirect(standard)
    return render(request, "practices/standard_form.html", {"form": form, "standard": standard})


@require_POST
def standard_publish(request: HttpRequest, slug: str) -> HttpResponse:
    standard = get_standard_for_user(request, slug, manage=True)
    services.standard_publish(standard=standard, editor=request.user)
    messages.success(request, _("The standard is published in the library."))
    return redirect(standard)


@require_POST
def standard_retire(request: HttpRequest, slug: str) -> HttpResponse:
    standard = get_standard_for_user(request, slug, manage=True)
    try:
        services.standard_retire(standard=standard, editor=request.user)
    except services.StandardInPaths as error:
        titles = ", ".join(f"“{path.title}”" for path in error.paths)
        message = ngettext(
            "This standard is in the learning path %(paths)s: take it out of the path before retiring it.",
            "This standard is in the learning paths %(paths)s: take it out of them before retiring it.",
            len(error.paths),
        )
        messages.error(request, message % {"paths": titles})
        return redirect(standard)
    messages.success(request, _("The standard is retired. It stays readable in the archive."))
    return redirect(standard)


@require_POST
def standard_review(request: HttpRequest, slug: str) -> HttpResponse:
    standard = get_standard_for_user(request, slug, manage=True)
    if standard.status != Standard.Status.PUBLISHED:
        messages.error(request, _("Only a published standard can be confirmed."))
        return redirect(standard)
    standard = services.standard_confirm_review(standard=standard, editor=request.user)
    messages.success(request, _("Confirmed. Next review: %(date)s.") % {"date": standard.review_at.isoformat()})
    if request.POST.get("next") == "reviews":
        return redirect("practices:reviews")
    return redirect(standard)


CURATION_CANDIDATES = 500


def curation_queue(filters: dict, scopes: list[tuple[int, int]] | None = None) -> QuerySet:
    """Published stories not promoted yet, best first: what peers said, with age taken into account.

    The stored hot score already weighs votes, voting stores and tries against
    age (see stories.models.hot_score); comments join the support here. Only the
    500 hottest candidates are ranked, so the queue costs the same on a network
    with a hundred stories or a million (an index gives them in order).
    With scopes, only stories of those (region id, pillar id) pairs: a referent's queue.
    """
    stories = Story.objects.published().exclude(Exists(Promotion.objects.filter(story=OuterRef("pk"))))
    if scopes is not None:
        stories = stories.filter(
            reduce(or_, (Q(store__region_id=region, pillar_id=pillar) for region, pillar in scopes), Q(pk__in=[]))
        )
    if filters.get("region"):
        stories = stories.filter(store__region=filters["region"])
    if filters.get("pillar"):
        stories = stories.filter(pillar=filters["pillar"])
    if filters.get("kind"):
        stories = stories.filter(kind=filters["kind"])
    hottest = stories.order_by("-hot_score").values("pk")[:CURATION_CANDIDATES]
    support = (
        F("vote_count") + EXTRA_STORE_WEIGHT * Greatest(F("voter_store_count") - 1, 0) + TRIED_WEIGHT * F("tried_count")
    )
    score = F("hot_score") - Log(10, support + 1) + Log(10, support + F("comment_count") + 1)
    return (
        Story.objects.filter(pk__in=hottest)
        .select_related("author", "store__region", "pillar")
        .annotate(curation_score=ExpressionWrapper(score, output_field=FloatField()))
        .order_by(F("curation_score").desc(), "-pk")
    )


def curation(request: HttpRequest) -> HttpResponse:
    """Curators see every candidate; a referent reads those of their pillars in their regions, without promoting."""
    can_promote = request.user.has_perm("practices.promote_story")
    scopes = None if can_promote else referent_scopes(request.user)
    if scopes == []:
        raise PermissionDenied
    form = CurationFilterForm(request.GET, scopes=scopes)
    page = page_number(request)
    rows, has_next = paginate(curation_queue(form.filters(), scopes=scopes), page)
    context = {
        "form": form,
        "stories": rows,
        **page_links(request, page, has_next),
        "can_promote": can_promote,
        "due_count": Standard.objects.due_for_review().count() if can_promote else 0,
    }
    return render(request, "practices/curation.html", context)


def reviews(request: HttpRequest) -> HttpResponse:
    require_perm(request, "practices.manage_standards")
    due = Standard.objects.due_for_review().for_list().order_by("review_at", "pk")
    return render(request, "practices/reviews.html", {"standards": list(due[:200])})


def already_promoted(request: HttpRequest, promotion: Promotion) -> HttpResponse:
    title = promotion.standard.title
    messages.info(request, _("This story already inspired the standard “%(title)s”.") % {"title": title})
    return redirect(promotion.standard)


def promote(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "practices.promote_story")
    story = get_story_for_user(request, pk, react=True)
    done = Promotion.objects.filter(story=story).select_related("standard").first()
    if done:
        return already_promoted(request, done)
    form = PromoteForm(request.POST or None, story=story)
    if request.method == "POST" and form.is_valid():
        standard = form.cleaned_data["standard"]
        try:
            promotion = services.story_promote(
                story=story,
                curator=request.user,
                note=form.cleaned_data["note"],
                standard=standard,
                new_standard=None if standard else form.standard_fields(),
                publish=form.cleaned_data["publish"] if standard is None else False,
            )
        except services.AlreadyPromoted as error:
            return already_promoted(request, error.promotion)
        title = promotion.standard.title
        if standard:
            messages.success(request, _("The story is now a source of “%(title)s”.") % {"title": title})
        else:
            messages.success(request, _("The story became the standard “%(title)s”.") % {"title": title})
        return redirect(promotion.standard)
    return render(request, "practices/promote.html", {"story": story, "form": form})
