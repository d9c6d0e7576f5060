from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from taggit.models import Tag, TaggedItem

from accounts.feeds import feed_token
from accounts.models import Region, Store
from config import ratelimit
from config.context_processors import render_page_fragments
from config.fragments import render_fragments
from config.paging import page_links, page_number, paginate
from config.ratelimit import limit_reached, too_many_requests
from stories import services
from stories.access import get_comment_for_user, get_story_for_user
from stories.forms import (
    CommentForm,
    DecisionForm,
    FeedFilterForm,
    FlagForm,
    NewStoryForm,
    PhotoEditForm,
    StoryForm,
    TriedForm,
)
from stories.guestbook import borrows, exchange_stores, exchanged_store
from stories.models import Comment, Decision, Flag, Story, StoryPhoto, card_rows
from stories.pages import card_fragments, feed_filters_fragment, story_page_context, vote_values
from stories.photos import device_messages
from stories.search import Query, did_you_mean_url, mark_prefixes, search_stories, understand


def home(request: HttpRequest) -> HttpResponse:
    return feed(request)


def feed_stories(filters: dict, query: Query | None = None):
    """The feed's stories for these filters (from FeedFilterForm.filters()), in the chosen order.

    `query` is filters["q"] already understood (stories/search.py), when the caller has it.
    """
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
    if filters["q"]:  # relevance first (stories/search.py), the chosen sort among equals
        found = search_stories(stories, query or understand(filters["q"]))
        return found.order_by("-rank", *stories.ranked(filters["sort"]).query.order_by)
    return stories.ranked(filters["sort"])


def feed(request: HttpRequest) -> HttpResponse:
    filters = FeedFilterForm(request.GET).filters()
    page = page_number(request)
    query = understand(filters["q"]) if filters["q"] else None
    ids, has_next = paginate(feed_stories(filters, query).values_list("pk", flat=True), page)
    rows = card_rows(ids, reader_id=request.user.pk)
    cards = card_fragments(rows, reader=request.user, marks=mark_prefixes(query) if query else None)
    context = {
        "did_you_mean": query.did_you_mean if query else "",
        "did_you_mean_url": did_you_mean_url(request.GET, query) if query else "",
        "filters": filters,
        "stories": rows,
        "has_next": has_next,
    }
    context |= page_links(request, page, has_next)
    context["atom_url"] = private_feed_url(request)
    if is_htmx(request):
        context["cards"] = render_fragments(cards)
        return render(request, "stories/feed.html#story-list", context)
    context["filters_html"], *context["cards"] = render_page_fragments(
        request, [feed_filters_fragment(filters), *cards]
    )
    return render(request, "stories/feed.html", context)


def private_feed_url(request: HttpRequest) -> str:
    """The person's private Atom link for the feed with these filters (accounts/feeds.py), if they made links."""
    if not request.user.feed_key:
        return ""
    query = request.GET.copy()
    query.pop("page", None)
    url = reverse("stories-private-feed", args=[feed_token(request.user, "stories")])
    return url + (f"?{query.urlencode()}" if query else "")


TAG_SUGGESTIONS_FROM = 1000  # the latest taggings: what people tag now, read through the primary key


def tag_suggestions() -> list[str]:
    """The 60 tags used most in the latest taggings, for the story form's list (a bounded read at any size)."""
    latest = TaggedItem.objects.order_by("-pk").values("pk")[:TAG_SUGGESTIONS_FROM]
    used = Tag.objects.filter(taggit_taggeditem_items__in=latest).annotate(uses=Count("taggit_taggeditem_items"))
    return list(used.order_by("-uses", "name").values_list("name", flat=True)[:60])


def posting_limited(request: HttpRequest, *, story: bool = True) -> bool:
    """Too many stories (with story) or photos from this person just now (config/ratelimit.py)."""
    photos = len(request.FILES.getlist("photos"))
    return (story and limit_reached(ratelimit.STORIES, request.user.pk)) or limit_reached(
        ratelimit.PHOTOS, request.user.pk, amount=photos
    )


def is_draft_sending(request: HttpRequest) -> bool:
    """A draft sent by static/js/draft-store.js, which reads a JSON answer instead of a page.

    "now" while the person waits (the story page then thanks them), "later" when it was kept offline.
    """
    return request.headers.get("X-Story-Draft") in {"now", "later"}


def draft_answer(form: StoryForm, story: Story | None = None, status: int = 200) -> JsonResponse:
    """What drafts.js reads: the story's address and title once published, or the form's messages."""
    if story is not None:
        return JsonResponse({"url": story.get_absolute_url(), "title": story.title}, status=status)
    errors = [str(message) for messages_ in form.errors.values() for message in messages_]
    return JsonResponse({"errors": errors}, status=status)


def new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("stories.add_story"):
        raise PermissionDenied
    form = NewStoryForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")})
    draft = is_draft_sending(request)
    if request.method == "POST" and posting_limited(request):
        form.add_error(None, ratelimit.refusal_message())
        if draft:
            return draft_answer(form, status=429)
        return render(request, "stories/form.html", new_story_context(form), status=429)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["kind"] == Story.Kind.GUESTBOOK and request.user.store is None:
            form.add_error("kind", _("You belong to no store: write in a guestbook from that store's page."))
        else:
            story = services.story_create(author=request.user, **form.cleaned_data)
            if draft and request.headers.get("X-Story-Draft") == "later":
                return draft_answer(form, story)
            messages.success(request, _("Thank you! Your story is published."))
            return draft_answer(form, story) if draft else redirect(story)
    if draft and request.method == "POST":
        return draft_answer(form, status=400)
    return render(request, "stories/form.html", new_story_context(form))


def new_story_context(form: NewStoryForm) -> dict:
    """The form's page, with the photo refusals the device gives an offline draft in the person's language."""
    too_many = _("A story can have at most %(max)d photos; you can add %(allowed)d more.") % {
        "max": StoryPhoto.MAX_PER_STORY,
        "allowed": StoryPhoto.MAX_PER_STORY,
    }
    return {
        "form": form,
        "tag_suggestions": tag_suggestions(),
        "photo_messages": {**device_messages(), "too_many": too_many},
    }


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_user(request, pk)
    context = story_page_context(request, story)
    if story.status == Story.Status.HIDDEN:  # why, for its author and curators (the only ones who see it)
        hidden = story.decisions.filter(action=Decision.Action.HIDE_STORY).select_related("curator")
        context["hidden_decision"] = hidden.first()
    return render(request, "stories/detail.html", context)


def decision_form(request: HttpRequest, *, required: bool = True) -> DecisionForm:
    """The reason form, bound on a POST (even an empty one, so a missing reason says so)."""
    return DecisionForm(request.POST if request.method == "POST" else None, required=required)


def confirm_decision(request: HttpRequest, form: DecisionForm, **context) -> HttpResponse:
    """The page that asks a curator to confirm a decision and give its reason (and again when it was missing)."""
    return render(request, "stories/confirm_decision.html", {"form": form, "ask_reason": True, **context})


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
    limited = request.method == "POST" and posting_limited(request, story=False)
    if limited:
        form.add_error(None, ratelimit.refusal_message())
    elif request.method == "POST" and form.is_valid() and all(f.is_valid() for f in photo_forms):
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
        status=429 if limited else 200,
    )


def delete(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_user(request, pk, write=True)
    moderating = story.author_id != request.user.pk  # a curator deleting someone's story says why
    form = decision_form(request) if moderating else None
    if request.method == "POST" and (form is None or form.is_valid()):
        reason = form.cleaned_data["reason"] if form else ""
        services.story_delete(story=story, user=request.user, reason=reason)
        messages.success(request, _("The story is deleted. An administrator can bring it back if needed."))
        return redirect("stories:feed")
    return render(request, "stories/confirm_delete.html", {"story": story, "form": form})


def hide(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation and a reason; POST hides (reason required) or shows again (reason optional)."""
    if not request.user.has_perm("stories.moderate_story"):
        raise PermissionDenied
    story = get_story_for_user(request, pk)
    hiding = story.status != Story.Status.HIDDEN
    form = decision_form(request, required=hiding)
    if not hiding:
        form.fields["reason"].label = _("Reason (optional, kept in the decision log)")
    if request.method == "POST" and form.is_valid():
        if hiding:
            services.story_hide(story=story, curator=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The story is hidden from everyone but its author and curators."))
        else:
            services.story_show(story=story, curator=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The story is visible again."))
        return redirect(story)
    return confirm_decision(
        request,
        form,
        title=_("Hide the story") if hiding else _("Show the story again"),
        question=(
            _("Hide “%(title)s”? Only its author and curators will see it.")
            if hiding
            else _("Show “%(title)s” to everyone again?")
        )
        % {"title": story.title},
        button=_("Hide") if hiding else _("Show again"),
        danger=hiding,
        cancel_url=story.get_absolute_url(),
    )


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
    guestbook = Story.objects.published().filter(kind=Story.Kind.GUESTBOOK).ranked("new").values_list("pk", flat=True)
    q = request.GET.get("q", "").strip()
    query = understand(q) if q else None
    own = Story.objects.published().filter(kind=Story.Kind.GUESTBOOK, store=store)
    if query:  # the store's entries that match, best first (stories/search.py)
        own = search_stories(own, query)
    entries, has_next = paginate(own.values_list("pk", flat=True) if query else guestbook.filter(store=store), page)
    stores = exchange_stores()  # one read for this store's partner and whether the reader's store borrows it
    partner = exchanged_store(store, timezone.localdate(), stores)
    partner_entries = list(guestbook.filter(store=partner)[:5]) if partner else []
    rows = card_rows([*entries, *partner_entries], reader_id=request.user.pk)  # one query, one cache read
    entries = rows[: len(entries)]
    marks = mark_prefixes(query) if query else None  # the matched words marked (in the partner's entries too)
    cards = render_page_fragments(request, card_fragments(rows, reader=request.user, marks=marks))
    can_write = services.can_write_guestbook(user=request.user, store=store, stores=stores)
    borrowed = can_write and borrows(request.user.store_id, store, timezone.localdate(), stores)
    form = StoryForm(initial={"kind": Story.Kind.GUESTBOOK}) if can_write else None
    return render(
        request,
        "stories/store.html",
        {
            "store": store,
            "q": q,
            "did_you_mean": query.did_you_mean if query else "",
            "did_you_mean_url": did_you_mean_url(request.GET, query) if query else "",
            "entries": entries,
            "entry_cards": cards[: len(entries)],
            "page": page,
            "has_next": has_next,
            "partner": partner,
            "partner_cards": cards[len(entries) :],
            "borrowed": borrowed,
            "writing": request.GET.get("write") == "1",
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
    limited = posting_limited(request)
    if limited:
        form.add_error(None, ratelimit.refusal_message())
    elif form.is_valid():
        services.story_create(author=request.user, store=store, **form.cleaned_data)
        messages.success(request, _("Your entry is in the guestbook."))
        return redirect(store)
    context = {"store": store, "form": form, "tag_suggestions": tag_suggestions()}
    return render(request, "stories/guestbook_form.html", context, status=429 if limited else 200)


# Reactions: votes, "we tried it", comments and reports. Each endpoint answers
# htmx with the fragment it changed and a plain POST with a redirect.


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def back_to(request: HttpRequest, fallback) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("stories.add_vote"):
        raise PermissionDenied
    story = get_story_for_user(request, pk, react=True)
    if limit_reached(ratelimit.VOTES, request.user.pk):
        return too_many_requests(request)
    wanted = {"1": True, "0": False}.get(request.POST.get("voted", ""))
    story = services.vote_set(user=request.user, story=story, voted=wanted)
    if is_htmx(request):
        own = story.author_id == request.user.pk
        values = vote_values(pk=story.pk, vote_count=story.vote_count, user_voted=story.user_voted, own=own)
        return render(request, "stories/includes/vote_button.html", {"story": values})
    return back_to(request, story)


@require_POST
def tried(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("stories.add_tried"):
        raise PermissionDenied
    story = get_story_for_user(request, pk, react=True)
    if limit_reached(ratelimit.TRIES, request.user.pk):
        return too_many_requests(request)
    form = TriedForm(request.POST)
    if form.is_valid():
        services.tried_record(user=request.user, story=story, outcome=form.cleaned_data["outcome"])
        messages.success(request, _("Thank you: your store is counted among those who tried it."))
        return redirect(story)
    return render(request, "stories/detail.html", story_page_context(request, story, tried_form=form))


@require_POST
def comment_new(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("stories.add_comment"):
        raise PermissionDenied
    story = get_story_for_user(request, pk, react=True)
    form = CommentForm(request.POST)
    limited = limit_reached(ratelimit.COMMENTS, request.user.pk)
    if limited:
        form.add_error("body", ratelimit.refusal_message())
    elif form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = get_object_or_404(
                story.comments.filter(status=Comment.Status.PUBLISHED), pk=form.cleaned_data["parent"]
            )
        comment = services.comment_add(author=request.user, story=story, body=form.cleaned_data["body"], parent=parent)
        if not is_htmx(request):
            return redirect(comment)
        form = CommentForm()
    context = story_page_context(request, get_story_for_user(request, pk), comment_form=form)
    status = 429 if limited else 200
    if is_htmx(request):
        return render(request, "stories/detail.html#comments", context, status=status)
    return render(request, "stories/detail.html", context, status=status)


def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment_for_user(request, pk)
    if not comment.can_edit(request.user):
        raise PermissionDenied
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        services.comment_edit(comment=comment, body=form.cleaned_data["body"])
        return redirect(comment)
    return render(request, "stories/comment_form.html", {"comment": comment, "form": form})


def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Its author deletes a comment at once (POST); a curator deleting someone's confirms and says why."""
    comment = get_comment_for_user(request, pk)
    own = comment.author_id == request.user.pk
    if not own and not request.user.has_perm("stories.moderate_story"):
        raise PermissionDenied
    form = None if own else decision_form(request)
    if request.method == "POST" and (form is None or form.is_valid()):
        reason = form.cleaned_data["reason"] if form else ""
        services.comment_delete(comment=comment, user=request.user, reason=reason)
        messages.success(request, _("Your comment is deleted.") if own else _("The comment is deleted."))
        return redirect(comment.story)
    return confirm_decision(
        request,
        form or DecisionForm(required=False),
        title=_("Delete the comment"),
        question=_("Delete this comment by %(name)s? Its text is kept for administrators.")
        % {"name": comment.author.name},
        quote=comment.body_html,
        button=_("Delete"),
        danger=True,
        ask_reason=not own,
        cancel_url=comment.get_absolute_url(),
    )


def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation and a reason; POST hides the comment (reason required)."""
    if not request.user.has_perm("stories.moderate_story"):
        raise PermissionDenied
    comment = get_comment_for_user(request, pk)
    form = decision_form(request)
    if request.method == "POST" and form.is_valid():
        services.comment_hide(comment=comment, curator=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The comment is hidden."))
        return redirect(comment.story)
    return confirm_decision(
        request,
        form,
        title=_("Hide the comment"),
        question=_("Hide this comment by %(name)s? Only curators will see it.") % {"name": comment.author.name},
        quote=comment.body_html,
        button=_("Hide"),
        danger=True,
        cancel_url=comment.get_absolute_url(),
    )


def flag(request: HttpRequest, pk: int, comment_pk: int | None = None) -> HttpResponse:
    if not request.user.has_perm("stories.add_flag"):
        raise PermissionDenied
    story = get_story_for_user(request, pk, react=True)
    comment = get_comment_for_user(request, comment_pk) if comment_pk else None
    if comment is not None and comment.story_id != story.pk:
        raise Http404
    if request.method == "POST" and limit_reached(ratelimit.FLAGS, request.user.pk):
        return too_many_requests(request)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_create(reporter=request.user, story=story, comment=comment, **form.cleaned_data)
            messages.success(request, _("Thank you. A curator will look at it."))
        except services.AlreadyReported:
            messages.info(request, _("You have already reported this; a curator will look at it."))
        return redirect(comment or story)
    return render(request, "stories/flag_form.html", {"story": story, "comment": comment, "form": form})


def flags(request: HttpRequest, *, forms: dict | None = None) -> HttpResponse:
    """The curators' moderation queue: open reports, oldest first, and the latest decisions."""
    if not request.user.has_perm("stories.moderate_story"):
        raise PermissionDenied
    open_flags = list(
        Flag.objects.filter(status=Flag.Status.OPEN).select_related("story__author", "comment__author", "reporter")[
            :100
        ]
    )
    for flag in open_flags:  # each report's reason field (with its error when a hide came without a reason)
        flag.decision_form = (forms or {}).get(flag.pk) or DecisionForm(prefix=f"flag-{flag.pk}", required=False)
    decided = Decision.objects.select_related("curator")[:20]
    return render(request, "stories/flags.html", {"open_flags": open_flags, "decided": decided})


@require_POST
def flag_decide(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("stories.moderate_story"):
        raise PermissionDenied
    flag = get_object_or_404(Flag.objects.select_related("story", "comment"), pk=pk, status=Flag.Status.OPEN)
    action = request.POST.get("action")
    if action not in {"hide", "dismiss"}:
        messages.error(request, _("Choose to hide the content or dismiss the report."))
        return redirect("stories:flags")
    form = DecisionForm(request.POST, prefix=f"flag-{flag.pk}", required=action == "hide")
    if not form.is_valid():  # hiding needs a reason: the queue again, with the message under this report
        return flags(request, forms={flag.pk: form})
    reason = form.cleaned_data["reason"]
    services.flag_decide(flag=flag, curator=request.user, hide=action == "hide", reason=reason)
    messages.success(request, _("Decision recorded."))
    return redirect("stories:flags")
