"""/voice/: what customers said, for curators (practices.view_voice); /voice/new/: staff tell what they heard."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.paging import page_links, page_number, paginate
from practices.access import require_perm
from practices.models import Feedback, Standard, StandardSend
from practices.voice import services
from practices.voice.forms import ConfirmForm, ImportForm, LinkForm, ToldInStoreForm, VoiceFilterForm
from practices.voice.importer import feedback_import
from stories.models import Pillar

PERMISSION = "practices.view_voice"


def voice(request: HttpRequest) -> HttpResponse:
    require_perm(request, PERMISSION)
    form = VoiceFilterForm(request.GET)
    page = page_number(request)
    items, has_next = paginate(services.voice_list(form.filters()), page)
    services.mark_sent(items)
    context = {
        "form": form,
        "items": items,
        "pillars": list(Pillar.objects.all()),
        "sentiments": Feedback.Sentiment.choices,
        **page_links(request, page, has_next),
    }
    return render(request, "practices/voice/voice.html", context)


def back(request: HttpRequest):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("practices:voice")


@require_POST
def link(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, PERMISSION)
    feedback = get_object_or_404(Feedback, pk=pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("story", [_("Choose a story.")])))
        return back(request)
    story = form.cleaned_data["story"]
    services.feedback_link(feedback=feedback, story=story)
    messages.success(request, _("The customer's words are linked to “%(title)s”.") % {"title": story.title})
    return back(request)


@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, PERMISSION)
    feedback = get_object_or_404(Feedback, pk=pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a sentiment."))
        return back(request)
    services.feedback_confirm(
        feedback=feedback,
        pillars=list(form.cleaned_data["pillars"]),
        sentiment=form.cleaned_data["sentiment"],
        curator=request.user,
    )
    messages.success(request, _("Saved: a re-import will not change it."))
    return back(request)


def told_in_store(request: HttpRequest) -> HttpResponse:
    require_perm(request, "stories.add_story")
    if request.user.store_id is None:
        raise PermissionDenied
    form = ToldInStoreForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            services.feedback_told_in_store(
                person=request.user,
                text=form.cleaned_data["text"],
                rating=form.cleaned_data["rating"],
                story=form.cleaned_data["story"],
            )
            messages.success(request, _("Thank you: the curators will read what the customer said."))
            return redirect("practices:voice-new")
    return render(request, "practices/voice/told.html", {"form": form}, status=status)


def upload(request: HttpRequest) -> HttpResponse:
    """The curators' upload: the same all-or-nothing import as the command, a dry run first if they like."""
    require_perm(request, PERMISSION)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    report, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = feedback_import(
                file=upload,
                filename=upload.name,
                dry_run=form.cleaned_data["dry_run"],
                scale=form.cleaned_data["scale"],
            )
            status = 400 if report.errors else 200
    return render(request, "practices/voice/import.html", {"form": form, "report": report}, status=status)


@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap: the suggested standard goes to the item's store, the customer's words as the reason."""
    require_perm(request, PERMISSION)
    feedback = get_object_or_404(Feedback.objects.select_related("store"), pk=pk)
    try:
        standard = Standard.objects.get(pk=int(request.POST.get("standard", "")))
    except (ValueError, Standard.DoesNotExist):
        messages.error(request, _("Choose a standard."))
        return back(request)
    try:
        _send, created = services.standard_send(
            standard=standard, store=feedback.store, curator=request.user, feedback=feedback
        )
    except services.Refused as refusal:
        messages.error(request, refusal.message)
        return back(request)
    names = {"title": standard.title, "store": feedback.store.name}
    if created:
        messages.success(request, _("“%(title)s” is on the “to read” list of %(store)s's staff.") % names)
    else:
        messages.info(request, _("“%(title)s” was already sent to %(store)s.") % names)
    return back(request)


def sent(request: HttpRequest) -> HttpResponse:
    """The standards sent to stores, and how many of each store's staff have read them."""
    require_perm(request, PERMISSION)
    page = page_number(request)
    sends, has_next = paginate(services.sends_list(), page)
    return render(request, "practices/voice/sent.html", {"sends": sends, **page_links(request, page, has_next)})


def sent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Who of the store's staff has read a standard sent to it."""
    require_perm(request, PERMISSION)
    send = get_object_or_404(StandardSend.objects.select_related("standard", "store", "sent_by"), pk=pk)
    return render(request, "practices/voice/sent_detail.html", {"send": send, "people": services.send_readers(send)})
