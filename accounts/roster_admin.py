"""The admin's roster upload: send the file, read the dry run, confirm, watch it apply.

Button "Import the HR roster" on the people list → form → the check runs as a task
(accounts/tasks.py) → the page shows what would change, or every bad line → "Apply"
runs the import as a task → the page shows what was done. While a task runs (with
TASKS_BACKEND=database, in db_worker) the page says so and reloads itself every two
seconds (a <meta> refresh: no JavaScript needed).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import RosterUpload
from accounts.roster import OUTCOME_LABELS
from accounts.roster_file import max_bytes
from accounts.tasks import roster_upload_process

REFRESH_SECONDS = 2


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    deactivate_missing = forms.BooleanField(
        label=gettext_lazy("Deactivate the people (with an employee ID) who are not in the file"),
        required=False,
        help_text=gettext_lazy("Only for a full roster of the whole network."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB: split it, or ask for the limit to be raised.")
                % {"size": max_bytes() // (1024 * 1024)}
            )
        return upload


def check_access(request: HttpRequest) -> None:
    """Importing people needs the right to add and change them."""
    if not (request.user.has_perm("accounts.add_user") and request.user.has_perm("accounts.change_user")):
        raise PermissionDenied


def context(request: HttpRequest, model_admin, **extra) -> dict:
    return {
        **admin.site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import the HR roster"),
        **extra,
    }


def roster_upload(request: HttpRequest, model_admin) -> HttpResponse:
    check_access(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = RosterUpload.objects.create(
            uploaded_by=request.user,
            filename=form.cleaned_data["file"].name[:255],
            content=form.cleaned_data["file"].read(),
            deactivate_missing=form.cleaned_data["deactivate_missing"],
            language=translation.get_language(),
        )
        roster_upload_process.enqueue(upload_id=upload.pk, apply=False)
        return redirect("admin:accounts_user_roster_status", upload.pk)
    recent = RosterUpload.objects.select_related("uploaded_by").defer("content", "report")[:10]
    return TemplateResponse(
        request, "admin/accounts/user/roster_upload.html", context(request, model_admin, form=form, recent=recent)
    )


def roster_status(request: HttpRequest, model_admin, pk: int) -> HttpResponse:
    check_access(request)
    upload = get_object_or_404(RosterUpload.objects.defer("content"), pk=pk)
    extra = {"upload": upload, "report": upload.report, "summary": summary_rows(upload.report)}
    if upload.is_working:
        extra["refresh"] = REFRESH_SECONDS
    return TemplateResponse(request, "admin/accounts/user/roster_status.html", context(request, model_admin, **extra))


@require_POST
def roster_apply(request: HttpRequest, model_admin, pk: int) -> HttpResponse:
    check_access(request)
    # Only a checked file, once: a second click (or tab) finds it already applying.
    started = RosterUpload.objects.filter(pk=pk, status=RosterUpload.Status.CHECKED).update(
        status=RosterUpload.Status.APPLYING, language=translation.get_language()
    )
    if started:
        roster_upload_process.enqueue(upload_id=pk, apply=True)
    return redirect("admin:accounts_user_roster_status", pk)


def summary_rows(report: dict) -> list[tuple[str, list[tuple[str, int]]]]:
    """A stored report's counts with labels in the reader's language: people, stores, regions."""
    kinds = [(_("People"), "people"), (_("Stores"), "stores"), (_("Regions"), "regions")]
    return [
        (title, [(str(OUTCOME_LABELS[key]), count) for key, count in report[kind].items()])
        for title, kind in kinds
        if kind in report
    ]
