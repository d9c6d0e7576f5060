"""Onboarding pages: my paths, judgement cases, acknowledging a standard, and the curators' path management."""

import csv

from django.contrib import messages
from django.db.models import Count, Window
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from practices.access import get_path_for_manager, get_standard_for_user, get_step_for_manager, require_perm
from practices.library import services
from practices.models import CaseAnswer, LearningPath, PathAssignment, Standard
from practices.onboarding import services as onboarding
from practices.onboarding.forms import (
    AnswerForm,
    AssignForm,
    PathForm,
    SituationForm,
    StepAddForm,
    StepNoteForm,
)
from practices.spreadsheet import spreadsheet_safe
from practices.voice.services import sent_to_read
from stories.models import Story

# Learner pages


def my_paths(request: HttpRequest) -> HttpResponse:
    paths = onboarding.learner_paths(request.user)
    sent = sent_to_read(request.user)
    return render(request, "practices/onboarding/my_paths.html", {"paths": paths, "sent": sent})


def case(request: HttpRequest, slug: str) -> HttpResponse:
    """A judgement case: the situation and the person's answer first, then the standard and the real story."""
    standard = get_standard_for_user(request, slug, with_reading=True)
    if not standard.situation or standard.status != Standard.Status.PUBLISHED:
        return redirect(standard)
    answer = CaseAnswer.objects.filter(user=request.user, standard=standard).first()
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if answer is not None:
            messages.info(request, _("You already answered this case: your first answer is kept."))
            return redirect("practices:case", slug=standard.slug)
        if form.is_valid():
            try:
                onboarding.case_answer_save(user=request.user, standard=standard, text=form.cleaned_data["text"])
            except onboarding.Refused as refusal:
                messages.info(request, refusal.message)
            return redirect("practices:case", slug=standard.slug)
    context = {"standard": standard, "answer": answer, "form": form}
    if answer is not None:
        context["stories"] = [
            promotion.story
            for promotion in standard.promotions.filter(story__status=Story.Status.PUBLISHED).select_related(
                "story__author", "story__store"
            )
        ]
    return render(request, "practices/onboarding/case.html", context)


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` field when it points to this site, else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@require_POST
def acknowledge(request: HttpRequest, slug: str) -> HttpResponse:
    """ "I have read and understood": the revision the person read comes with the form."""
    standard = get_standard_for_user(request, slug)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = None
    try:
        _acknowledgement, created = onboarding.standard_acknowledge(
            user=request.user, standard=standard, revision=revision
        )
    except onboarding.Refused as refusal:
        messages.error(request, refusal.message)
        return redirect(standard)
    if created:
        messages.success(request, _("Thank you: “%(title)s” is marked as read.") % {"title": standard.title})
    else:
        messages.info(request, _("You had already confirmed this revision."))
    return redirect(safe_next(request, standard.get_absolute_url()))


def situation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Curators write a standard's judgement case, starting from its first source story."""
    standard = get_standard_for_user(request, slug, manage=True)
    promotions = list(standard.promotions.select_related("story"))
    story = promotions[0].story if promotions else None
    suggestion = story.body.strip().split("\n\n")[0] if story and not standard.situation else standard.situation
    form = SituationForm(request.POST or None, initial={"situation": suggestion})
    if request.method == "POST" and form.is_valid():
        services.standard_set_situation(
            standard=standard, editor=request.user, situation=form.cleaned_data["situation"]
        )
        if standard.situation:
            messages.success(request, _("The judgement case is saved. Learners meet it in their paths."))
        else:
            messages.success(request, _("The judgement case is removed."))
        return redirect(standard)
    return render(
        request, "practices/onboarding/situation_form.html", {"standard": standard, "form": form, "story": story}
    )


# Curators: managing paths


def paths(request: HttpRequest) -> HttpResponse:
    require_perm(request, "practices.manage_paths")
    rows = LearningPath.objects.select_related("audience").with_step_count()
    return render(request, "practices/onboarding/paths.html", {"paths": rows})


def path_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "practices.manage_paths")
    form = PathForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        path = onboarding.path_create(curator=request.user, **form.cleaned_data)
        messages.success(request, _("The path is created. Add its standards in order."))
        return redirect(path)
    return render(request, "practices/onboarding/path_form.html", {"form": form})


def path_edit(request: HttpRequest, pk: int) -> HttpResponse:
    path = get_path_for_manager(request, pk)
    form = PathForm(request.POST or None, instance=path)
    if request.method == "POST" and form.is_valid():
        onboarding.path_update(path=path, **form.cleaned_data)
        messages.success(request, _("Your changes are saved."))
        return redirect(path)
    return render(request, "practices/onboarding/path_form.html", {"form": form, "path": path})


def path_delete(request: HttpRequest, pk: int) -> HttpResponse:
    path = get_path_for_manager(request, pk)
    if request.method == "POST":
        onboarding.path_delete(path=path)
        messages.success(request, _("The path “%(title)s” is deleted.") % {"title": path.title})
        return redirect("practices:paths")
    return render(request, "practices/onboarding/path_delete.html", {"path": path})


PATH_ASSIGNMENTS = 50


def render_path(
    request: HttpRequest, path: LearningPath, *, add_form=None, assign_form=None, status: int = 200
) -> HttpResponse:
    context = {
        "path": path,
        "steps": list(path.steps.select_related("standard")),
        # The latest few, each carrying how many there are in all (a window count): the progress page lists everyone.
        "assignments": list(
            path.assignments.select_related("user__store")
            .annotate(total=Window(Count("*")))
            .order_by("-created_at", "-pk")[:PATH_ASSIGNMENTS]
        ),
        "add_form": add_form or StepAddForm(path=path),
        "assign_form": assign_form or AssignForm(),
    }
    return render(request, "practices/onboarding/path.html", context, status=status)


def path_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_path(request, get_path_for_manager(request, pk))


@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    path = get_path_for_manager(request, pk)
    form = StepAddForm(request.POST, path=path)
    if not form.is_valid():
        return render_path(request, path, add_form=form, status=400)
    try:
        step = onboarding.path_step_add(path=path, **form.cleaned_data)
    except onboarding.Refused as refusal:
        form.add_error("standard", refusal.message)
        return render_path(request, path, add_form=form, status=400)
    messages.success(request, _("“%(title)s” is added to the path.") % {"title": step.standard.title})
    return redirect(f"{path.get_absolute_url()}#step-{step.pk}")


def step_edit(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    step = get_step_for_manager(request, pk, step_pk)
    form = StepNoteForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        onboarding.path_step_update(step=step, note=form.cleaned_data["note"])
        messages.success(request, _("Your changes are saved."))
        return redirect(f"{step.path.get_absolute_url()}#step-{step.pk}")
    return render(request, "practices/onboarding/step_form.html", {"step": step, "form": form})


@require_POST
def step_move(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    step = get_step_for_manager(request, pk, step_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Choose whether to move the standard up or down."))
    elif not onboarding.path_step_move(step=step, up=direction == "up"):
        messages.info(request, _("“%(title)s” is already at that end of the path.") % {"title": step.standard.title})
    return redirect(f"{step.path.get_absolute_url()}#step-{step.pk}")


@require_POST
def step_remove(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    step = get_step_for_manager(request, pk, step_pk)
    onboarding.path_step_remove(step=step)
    messages.success(request, _("“%(title)s” is taken out of the path.") % {"title": step.standard.title})
    return redirect(step.path)


@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    path = get_path_for_manager(request, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return render_path(request, path, assign_form=form, status=400)
    person = form.cleaned_data["username"]
    try:
        onboarding.path_assign(path=path, person=person, curator=request.user)
    except onboarding.Refused as refusal:
        form.add_error("username", refusal.message)
        return render_path(request, path, assign_form=form, status=400)
    messages.success(request, _("%(name)s now follows this path.") % {"name": person.name})
    return redirect(f"{path.get_absolute_url()}#people")


@require_POST
def unassign(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    path = get_path_for_manager(request, pk)
    assignment = get_object_or_404(PathAssignment.objects.select_related("user"), pk=assignment_pk, path=path)
    onboarding.path_unassign(assignment=assignment)
    messages.success(request, _("%(name)s no longer follows this path.") % {"name": assignment.user.name})
    return redirect(f"{path.get_absolute_url()}#people")


# Curators: progress


def progress(request: HttpRequest, pk: int) -> HttpResponse:
    path = get_path_for_manager(request, pk)
    context = {"path": path, "progress": onboarding.path_progress(path)}
    return render(request, "practices/onboarding/progress.html", context)


def progress_csv(request: HttpRequest, pk: int) -> HttpResponse:
    path = get_path_for_manager(request, pk)
    report = onboarding.path_progress(path)
    statuses = {"not-started": _("not started"), "in-progress": _("in progress"), "done": _("done")}
    filename = f"path-{path.pk}-progress-{timezone.localdate().isoformat()}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheets read the accents as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [_("Person"), _("Username"), _("Store"), _("Region"), _("Standards read"), _("Of"), _("Percent"),
         _("Status"), _("Last read")]
    )  # fmt: skip
    for row in report.people:
        store = row.person.store
        writer.writerow(
            [
                spreadsheet_safe(row.person.name),
                spreadsheet_safe(row.person.username),
                spreadsheet_safe(store.name if store else _("Head office")),
                spreadsheet_safe(store.region.name if store else ""),
                row.done,
                row.total,
                row.percent,
                statuses[row.status],
                timezone.localtime(row.last_read).isoformat(timespec="minutes") if row.last_read else "",
            ]
        )
    return response
