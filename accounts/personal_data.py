"""A person's data: everything the site holds about them, as a ZIP, and its erasure when they leave.

accounts imports neither stories nor practices (DESIGN.md), yet a person's data
lives in their tables too. Each app that keeps rows about people has a
`personal_data` module, listed in settings.PERSONAL_DATA_MODULES, with:

- `export(person) -> dict[str, list]`: its sections of the person's JSON file;
- `photos(person) -> Iterable[tuple[str, File]]`: files to put in the ZIP (name in the archive, file);
- `erasure_counts(person, *, delete_content) -> list[tuple[str, int]]`: what an erasure will remove or keep;
- `erase(person, *, delete_content) -> None`: remove or anonymise its rows, before accounts anonymises the person.

They run in the listed order: stories, then practices (which forgets the person's
name among search's known words once their stories are gone).
"""

import json
import tempfile
import zipfile
from collections.abc import Iterable
from importlib import import_module
from types import ModuleType

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RosterUpload, User
from accounts.roster import sessions_end

EXPORT_VERSION = 1


def data_modules() -> list[ModuleType]:
    return [import_module(path) for path in settings.PERSONAL_DATA_MODULES]


def profile_export(person: User) -> dict:
    store = person.store
    return {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "display_name": person.display_name,
        "email": person.email,
        "employee_id": person.employee_id,
        "store": {"name": store.name, "code": store.store_code, "city": store.city} if store else None,
        "roles": sorted(person.groups.values_list("name", flat=True)),
        "language_chosen": person.preferred_language,
        "language_roster": person.language,
        "language_browser": person.browser_language,
        "weekly_digest": person.weekly_digest,
        "is_active": person.is_active,
        "date_joined": person.date_joined,
        "last_login": person.last_login,
        "push_subscriptions": [
            {"endpoint": endpoint, "kinds": kinds, "created_at": created_at}
            for endpoint, kinds, created_at in person.push_subscriptions.values_list("endpoint", "kinds", "created_at")
        ],
    }


def person_export(*, person: User):
    """The person's data as a ZIP in a temporary file (rewound): data.json and photos/."""
    data = {
        "format": EXPORT_VERSION,
        "exported_at": timezone.now(),
        "profile": profile_export(person),
        "notifications": [
            {"kind": n.kind, "text": n.text, "url": n.url, "created_at": n.created_at, "read_at": n.read_at}
            for n in person.notifications.select_related("actor")
        ],
    }
    photos: list[tuple[str, object]] = []
    for module in data_modules():
        data.update(module.export(person))
        photos.extend(module.photos(person))
    archive = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 (the response closes it)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zip_file:
        zip_file.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        for name, file in photos:
            try:
                with file.open("rb") as source:
                    zip_file.writestr(name, source.read(), compress_type=zipfile.ZIP_STORED)  # JPEG: compressed already
            except FileNotFoundError:
                continue  # a file lost from storage: the JSON still lists it
    archive.seek(0)
    return archive


def erasure_counts(*, person: User, delete_content: bool) -> list[tuple[str, int]]:
    """What erasing the person will remove or keep, for the administrator to confirm."""
    counts = [(_("notifications deleted"), person.notifications.count())]
    for module in data_modules():
        counts.extend(module.erasure_counts(person, delete_content=delete_content))
    return counts


@transaction.atomic
def person_erase(*, person: User, delete_content: bool) -> bool:
    """Erase a leaver on their request: their name, e-mail, IDs and profile go; True when something was erased.

    With delete_content their stories and comments go too (a story a standard credits
    stays, as a former colleague's); otherwise they stay, credited to "a former colleague"
    at their store. Votes stay as counts. Erasing someone already erased does nothing.
    """
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        return False
    traces = [value for value in [person.username, person.email, person.employee_id] if value]
    for module in data_modules():
        module.erase(person, delete_content=delete_content)
    person.notifications.all().delete()
    person.push_subscriptions.all().delete()
    sessions_end(user_ids={person.pk})
    person.groups.clear()
    person.user_permissions.clear()
    person.username = person.erased_username
    person.first_name = person.last_name = person.display_name = person.email = ""
    person.employee_id = None
    person.preferred_language = person.language = person.browser_language = ""
    person.password = make_password(None)
    person.feed_key = ""  # their private feed links stop
    person.is_active = person.is_staff = person.is_superuser = person.weekly_digest = False
    person.last_login = None
    person.erased_at = timezone.now()
    person.save()
    # The admin's history names people as they were; so do the roster reports that listed them.
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(person.pk)).update(
        object_repr=str(person)
    )
    forget_in_roster_reports(traces)
    return True


def forget_in_roster_reports(traces: Iterable[str]) -> None:
    """Drop the lines of past roster reports that name the person (by employee ID, username or e-mail)."""
    traces = [trace for trace in traces if trace]
    for upload in RosterUpload.objects.defer("content"):
        changes = upload.report.get("changes", [])
        kept = [line for line in changes if not any(trace in line for trace in traces)]
        if len(kept) != len(changes):
            upload.report["changes"] = kept
            RosterUpload.objects.filter(pk=upload.pk).update(report=upload.report)
