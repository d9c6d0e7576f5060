"""The admin's erasure of leavers who ask for it: an action on the people list, then a confirmation page.

The page shows, for each person, what goes and what stays either way, and asks
whether their stories and comments stay (credited to a former colleague) or go.
Needs the "Can erase a person's data" permission (Administrators have it): others get 403.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from accounts.personal_data import erasure_counts, person_erase


class ErasureForm(forms.Form):
    content = forms.ChoiceField(
        label=gettext_lazy("Their stories and comments"),
        choices=[
            ("keep", gettext_lazy("Keep them, credited to a former colleague at their store")),
            ("delete", gettext_lazy("Delete them")),
        ],
        widget=forms.RadioSelect,
        initial="keep",
    )


def erase_url(ids) -> str:
    return f"{reverse('admin:accounts_user_erase')}?{urlencode([('ids', pk) for pk in ids])}"


def erase_people(request: HttpRequest, model_admin) -> HttpResponse:
    if not request.user.has_perm("accounts.erase_user"):
        raise PermissionDenied
    ids = [int(pk) for pk in request.GET.getlist("ids") + request.POST.getlist("ids") if pk.isdigit()]
    people = list(User.objects.filter(pk__in=ids, erased_at=None).exclude(pk=request.user.pk).order_by("pk"))
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        delete_content = form.cleaned_data["content"] == "delete"
        erased = sum(person_erase(person=person, delete_content=delete_content) for person in people)
        messages.success(
            request,
            ngettext("%(count)d person erased.", "%(count)d people erased.", erased) % {"count": erased},
        )
        return redirect("admin:accounts_user_changelist")
    rows = [
        {
            "person": person,
            "keep": erasure_counts(person=person, delete_content=False),
            "delete": erasure_counts(person=person, delete_content=True),
        }
        for person in people
    ]
    context = {
        **admin.site.each_context(request),
        "opts": User._meta,
        "title": _("Erase people's data"),
        "rows": rows,
        "form": form,
        "ids": [person.pk for person in people],
        "self_excluded": request.user.pk in ids,
    }
    return TemplateResponse(request, "admin/accounts/user/erase.html", context)
