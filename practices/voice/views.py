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
from practices.models import Feedback
from practices.voice import services
from practices.voice.forms import ConfirmForm, LinkForm, ToldInStoreForm, VoiceFilterForm
from stories.models import Pillar

PERMISSION = "practices.view_voice"


def voice(request: HttpRequest) -> HttpResponse:
    require_perm(request, PERMISSION)
    form = VoiceFilterForm(request.GET)
    page = page_number(request)
    items, has_next = paginate(services.voice_list(form.filters()), page)
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
