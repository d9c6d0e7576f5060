from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from taggit.models import Tag

from accounts.models import Region, Store
from stories import services
from stories.access import get_story_for_user
from stories.forms import FeedFilterForm, PhotoEditForm, StoryForm
from stories.guestbook import exchanged_store
from stories.models import Story

PAGE_SIZE = 20
MAX_PAGE = 500


def page_number(request: HttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("page", 1)), 1), MAX_PAGE)
    except ValueError:
        return 1


def paginate(queryset, page: int, size: int = PAGE_SIZE) -> tuple[list, bool]:
    """One page and whether another follows, without counting the table."""
    rows = list(queryset[(page - 1) * size : page * size + 1])
    return rows[:size], len(rows) > size


def home(request: HttpRequest) -> HttpResponse:
    return feed(request)


def feed(request: HttpRequest) -> HttpResponse:
    form = FeedFilterForm(request.GET)
    filters = form.filters()
    stories = Story.objects.published()
    if filters["period"] != "all":
        since = timezone.now() - timedelta(days=FeedFilterForm.PERIOD_DAYS[filters["period"]])
        stories = stories.filter(published_at__gte=since)
    if filters.get("kind"):
        stories = stories.filter(kind=filters["kind"])
    if filters.get("pillar"):
        stories = stories.filter(pillar=filters["pillar"])
    if filters.get("store"):
        stories = stories.filter(store__slug=filters["store"])
    if filters.get("region"):
        stories = stories.filter(store__region__slug=filters["region"])
    if filters.get("tag"):
        stories = stories.filter(tags__slug=filters["tag"])
    if filters["q"]:
        stories = stories.filter(Q(title__icontains=filters["q"]) | Q(body__icontains=filters["q"]))
    page = page_number(request)
    rows, has_next = paginate(stories.for_feed().ranked(filters["sort"]), page)
    context = {"form": form, "filters": filters, "stories": rows, "page": page, "has_next": has_next}
    template = "stories/feed.html#story-list" if request.headers.get("HX-Request") else "stories/feed.html"
    return render(request, template, context)


def tag_suggestions() -> list[str]:
    return list(Tag.objects.annotate(uses=Count("taggit_taggeditem_items")).order_by("-uses", "name")
                .values_list("name", flat=True)[:60])  # fmt: skip


def new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("stories.add_story"):
        raise PermissionDenied
    form = StoryForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["kind"] == Story.Kind.GUESTBOOK and request.user.store is None:
            form.add_error("kind", _("You belong to no store: write in a guestbook from that store's page."))
        else:
            story = services.story_create(author=request.user, **form.cleaned_data)
            messages.success(request, _("Thank you! Your story is published."))
            return redirect(story)
    return render(request, "stories/form.html", {"form": form, "tag_suggestions": tag_suggestions()})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_user(request, pk)
    photos = list(story.photos.all())
    return render(
        request,
        "stories/detail.html",
        {
            "story": story,
            "photos": photos,
            "tags": list(story.tags.all()),
            "can_edit": story.can_edit(request.user),
            "can_moderate": request.user.has_perm("stories.moderate_story"),
            "can_see_history": story.can_see_history(request.user),
        },
    )


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_user(request, pk, write=True)
    photos = list(story.photos.all())
    data = request.POST or None
    form = StoryForm(
        data,
        request.FILES or None,
        instance=story,
        existing_photos=len(photos),
        initial={"tags": ", ".join(sorted(story.tags.names()))},
    )
    photo_forms = [
        PhotoEditForm(data, prefix=f"photo-{photo.pk}", initial={"alt_text": photo.alt_text}) for photo in photos
    ]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in photo_forms):
        changes = {
            photo.pk: (f.cleaned_data["alt_text"], f.cleaned_data["remove"])
            for photo, f in zip(photos, photo_forms, strict=True)
        }
        services.story_update(story=story, editor=request.user, photo_changes=changes, **form.cleaned_data)
        messages.success(request, _("Your changes are saved. The earlier version is kept in the history."))
        return redirect(story)
    return render(
        request,
        "stories/form.html",
        {
            "form": form,
            "story": story,
            "photo_forms": list(zip(photos, photo_forms, strict=True)),
            "tag_suggestions": tag_suggestions(),
        },
    )


def delete(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_user(request, pk, write=True)
    if request.method == "POST":
        services.story_set_status(story=story, status=Story.Status.DELETED)
        messages.success(request, _("The story is deleted. An administrator can bring it back if needed."))
        return redirect("stories:feed")
    return render(request, "stories/confirm_delete.html", {"story": story})


@require_POST
def hide(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("stories.moderate_story"):
        raise PermissionDenied
    story = get_story_for_user(request, pk)
    if story.status == Story.Status.HIDDEN:
        services.story_set_status(story=story, status=Story.Status.PUBLISHED)
        messages.success(request, _("The story is visible again."))
    else:
        services.story_set_status(story=story, status=Story.Status.HIDDEN)
        messages.success(request, _("The story is hidden from everyone but its author and curators."))
    return redirect(story)


def history(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_user(request, pk)
    if not story.can_see_history(request.user):
        raise PermissionDenied
    revisions = story.revisions.select_related("editor", "pillar")
    return render(request, "stories/history.html", {"story": story, "revisions": revisions})


def stores(request: HttpRequest) -> HttpResponse:
    regions = Region.objects.prefetch_related("stores").order_by("name")
    return render(request, "stories/stores.html", {"regions": regions})


def store(request: HttpRequest, slug: str) -> HttpResponse:
    store = get_object_or_404(Store.objects.select_related("region"), slug=slug)
    page = page_number(request)
    entries, has_next = paginate(
        Story.objects.published().filter(store=store, kind=Story.Kind.GUESTBOOK).for_feed().ranked("new"), page
    )
    partner = exchanged_store(store, timezone.localdate())
    partner_entries = []
    if partner:
        partner_entries = list(
            Story.objects.published().filter(store=partner, kind=Story.Kind.GUESTBOOK).for_feed().ranked("new")[:5]
        )
    can_write = services.can_write_guestbook(user=request.user, store=store)
    form = StoryForm(initial={"kind": Story.Kind.GUESTBOOK}) if can_write else None
    return render(
        request,
        "stories/store.html",
        {
            "store": store,
            "entries": entries,
            "page": page,
            "has_next": has_next,
            "partner": partner,
            "partner_entries": partner_entries,
            "form": form,
            "tag_suggestions": tag_suggestions() if can_write else [],
        },
    )


@require_POST
def guestbook_write(request: HttpRequest, slug: str) -> HttpResponse:
    store = get_object_or_404(Store.objects.select_related("region"), slug=slug)
    if not services.can_write_guestbook(user=request.user, store=store):
        raise PermissionDenied
    data = request.POST.copy()
    data["kind"] = Story.Kind.GUESTBOOK
    form = StoryForm(data, request.FILES)
    if form.is_valid():
        services.story_create(author=request.user, store=store, **form.cleaned_data)
        messages.success(request, _("Your entry is in the guestbook."))
        return redirect(store)
    context = {"store": store, "form": form, "tag_suggestions": tag_suggestions()}
    return render(request, "stories/guestbook_form.html", context)
