from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.paging import page_links, page_number, paginate
from practices.access import get_standard_for_user, require_perm
from practices.library import services
from practices.library.forms import CurationFilterForm, LibraryFilterForm, PromoteForm, StandardForm
from practices.library.search import search
from practices.library.search import suggest as suggestions_for
from practices.models import LearningPath, Promotion, Standard, curation_stories
from practices.referents.services import referent_scopes
from practices.voice.services import customer_words_for
from stories.access import get_story_for_user
from stories.forms import DecisionForm
from stories.models import Decision, Pillar, Story, Tried
from stories.search import did_you_mean_url, highlight

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
    stories, query = [], None
    if filters["q"]:
        results = search(filters["q"], standards=standards, stories=Story.objects.published())
        standards = results.standards.for_list()
        stories = list(results.stories.select_related("author", "store")[:SEARCH_STORIES])
        query = results.query
    else:
        standards = standards.for_list().order_by(*LIBRARY_SORTS[filters["sort"]])
    page = page_number(request)
    rows, has_next = paginate(standards, page)
    if query:  # the matched words marked in titles and summaries (escaped first)
        for row in [*rows, *stories]:
            row.title_html = highlight(row.title, query)
        for row in rows:
            row.summary_html = highlight(row.summary, query)
    context = {
        "did_you_mean": query.did_you_mean if query else "",
        "did_you_mean_url": did_you_mean_url(request.GET, query) if query else "",
        "form": form,
        "filters": filters,
        "standards": rows,
        "stories": stories,
        **page_links(request, page, has_next),
        # One list for the drop-down and the pillar links (the form's widget would query again).
        "pillars": list(Pillar.objects.all()),
    }
    template = "practices/library/library.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


def suggest(request: HttpRequest) -> HttpResponse:
    """What the search boxes suggest as one types (htmx, debounced): links to standards, stories and tags.

    Without JavaScript the same URL is a page of those links.
    """
    q = request.GET.get("q", "")
    found = suggestions_for(q, standards=Standard.objects.published(), stories=Story.objects.published())
    context = {"q": q.strip()[:200], "suggestions": found}
    template = "practices/library/suggestions.html"
    if request.headers.get("HX-Request"):
        template += "#list"
    return render(request, template, context)


def archive(request: HttpRequest) -> HttpResponse:
    page = page_number(request)
    retired = Standard.objects.filter(status=Standard.Status.RETIRED).order_by("-retired_at", "-pk")
    rows, has_next = paginate(retired.for_list(), page)
    return render(request, "practices/library/archive.html", {"standards": rows, **page_links(request, page, has_next)})


def standard_detail(request: HttpRequest, slug: str) -> HttpResponse:
    standard = get_standard_for_user(request, slug, with_reading=True)
    promotions = list(standard.promotions.select_related("story__author", "story__store", "curator"))
    revisions = list(standard.revisions.select_related("editor"))
    read_before = standard.read_revision is not None and not standard.is_read
    context = {
        "standard": standard,
        "tags": list(standard.tags.all()),
        "promotions": promotions,
        # The stores that tried its ideas, first one first (read only when some store tried one).
        "tries": first_tries(standard) if any(p.story.tried_count for p in promotions) else [],
        "revisions": revisions,
        # Read before a material change: what changed since the revision the person confirmed.
        "changes": [revision for revision in revisions if revision.number > standard.read_revision]
        if read_before
        else [],
        "can_manage": request.user.has_perm("practices.manage_standards"),
    }
    if standard.status == Standard.Status.RETIRED:  # who retired it, when and why (the decision log)
        retirements = Decision.objects.filter(
            action=Decision.Action.RETIRE_STANDARD, object_key=services.retirement_key(standard)
        )
        context["retirement"] = retirements.select_related("curator").first()
    if context["can_manage"] and standard.path_count:
        context["paths"] = list(LearningPath.objects.filter(steps__standard=standard).distinct())
    if context["promotions"]:
        context["customer_words"] = customer_words_for(standard)
    return render(request, "practices/library/standard.html", context)


def first_tries(standard: Standard) -> list[Tried]:
    """Each store that tried the idea of one of the standard's source stories, once (its first try), in order."""
    tries = (
        Tried.objects.filter(story__promotion__standard=standard).select_related("store").order_by("created_at", "pk")
    )
    first: dict[int, Tried] = {}
    for tried in tries:
        first.setdefault(tried.store_id, tried)
    return list(first.values())


def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    standard = get_standard_for_user(request, slug)
    revision = get_object_or_404(standard.revisions.select_related("editor"), number=number)
    return render(request, "practices/library/revision.html", {"standard": standard, "revision": revision})


def standard_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "practices.manage_standards")
    form = StandardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        standard = services.standard_create(
            owner=request.user, review_at=form.cleaned_data["review_at"], **form.standard_fields()
        )
        messages.success(request, _("The standard is saved as a draft. Publish it when it is ready."))
        return redirect(standard)
    return render(request, "practices/library/standard_form.html", {"form": form})


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
    return render(request, "practices/library/standard_form.html", {"form": form, "standard": standard})


@require_POST
def standard_publish(request: HttpRequest, slug: str) -> HttpResponse:
    standard = get_standard_for_user(request, slug, manage=True)
    services.standard_publish(standard=standard, editor=request.user)
    messages.success(request, _("The standard is published in the library."))
    return redirect(standard)


def retire_refused(request: HttpRequest, standard: Standard, paths: list[LearningPath]) -> HttpResponse:
    titles = ", ".join(f"“{path.title}”" for path in paths)
    message = ngettext(
        "This standard is in the learning path %(paths)s: take it out of the path before retiring it.",
        "This standard is in the learning paths %(paths)s: take it out of them before retiring it.",
        len(paths),
    )
    messages.error(request, message % {"paths": titles})
    return redirect(standard)


def standard_retire(request: HttpRequest, slug: str) -> HttpResponse:
    """GET asks for confirmation and a reason; POST retires (the reason is required and kept in the log)."""
    standard = get_standard_for_user(request, slug, manage=True)
    if standard.status != Standard.Status.PUBLISHED:
        messages.error(request, _("Only a published standard can be retired."))
        return redirect(standard)
    paths = list(LearningPath.objects.filter(steps__standard=standard).distinct())
    if paths:  # said before asking for a reason (standard_retire refuses it too)
        return retire_refused(request, standard, paths)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_retire(standard=standard, editor=request.user, reason=form.cleaned_data["reason"])
        except services.StandardInPaths as error:
            return retire_refused(request, standard, error.paths)
        messages.success(request, _("The standard is retired. It stays readable in the archive."))
        return redirect(standard)
    context = {
        "form": form,
        "ask_reason": True,
        "title": _("Retire the standard"),
        "question": _("Retire “%(title)s”? It leaves the library for the archive, where it stays readable.")
        % {"title": standard.title},
        "button": _("Retire"),
        "danger": True,
        "cancel_url": standard.get_absolute_url(),
    }
    return render(request, "stories/confirm_decision.html", context)


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


def curation(request: HttpRequest) -> HttpResponse:
    """Curators see every candidate; a referent reads those of their pillars in their regions, without promoting."""
    can_promote = request.user.has_perm("practices.promote_story")
    scopes = None if can_promote else referent_scopes(request.user)
    if scopes == []:
        raise PermissionDenied
    form = CurationFilterForm(request.GET, scopes=scopes)
    page = page_number(request)
    rows, has_next = paginate(curation_stories().queue(form.filters(), scopes=scopes), page)
    context = {
        "form": form,
        "stories": rows,
        **page_links(request, page, has_next),
        "can_promote": can_promote,
        "due_count": Standard.objects.due_for_review().count() if can_promote else 0,
    }
    return render(request, "practices/library/curation.html", context)


def reviews(request: HttpRequest) -> HttpResponse:
    require_perm(request, "practices.manage_standards")
    due = Standard.objects.due_for_review().for_list().order_by("review_at", "pk")
    return render(request, "practices/library/reviews.html", {"standards": list(due[:200])})


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
    return render(request, "practices/library/promote.html", {"story": story, "form": form})
