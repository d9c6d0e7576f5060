"""The HR roster applied: people, stores and regions as HR's file says they are.

`roster_import()` reads the file (accounts/roster_file.py), compares it with the
database and, unless it is a dry run, writes the differences in one transaction.
A file with any invalid line changes nothing. Both the `import_roster` command
and the admin's upload page call it.

Matching: a person by employee ID (else, once, an existing person without one
who has the same e-mail: people typed in by hand before the first import); a store
by store code (else, once, a store without a code and of the same name); a region
by name, renamed when all the stores of an existing region now name one new region
that did not exist and the old name is gone from the file.

Speed: everything the comparison needs is read first, in a few queries whatever
the number of people; the writes are bulk inserts and updates. No query per line.
"""

import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts import roles
from accounts.models import Region, Store, User
from accounts.roster_file import RosterError, RosterLine, read_roster

ROLE_GROUPS = {
    "staff": roles.STAFF,
    "new_hire": roles.NEW_HIRES,
    "curator": roles.CURATORS,
    "head_office": roles.STAFF,
}
PERSON_FIELDS = ["email", "first_name", "last_name", "store", "language", "is_active", "employee_id"]
BATCH_SIZE = 1000
ROSTER_LOCK_KEY = 7_015_200  # any number of our own, for pg_advisory_xact_lock

# How each kind of change is counted (the summary's columns).
PEOPLE_OUTCOMES = ["created", "updated", "moved", "deactivated", "reactivated", "unchanged"]
STORE_OUTCOMES = ["created", "updated", "unchanged"]
REGION_OUTCOMES = ["created", "renamed", "unchanged"]
OUTCOME_LABELS = {
    "created": pgettext_lazy("roster", "created"),
    "updated": pgettext_lazy("roster", "updated"),
    "moved": pgettext_lazy("roster", "moved"),
    "deactivated": pgettext_lazy("roster", "deactivated"),
    "reactivated": pgettext_lazy("roster", "reactivated"),
    "renamed": pgettext_lazy("roster", "renamed"),
    "unchanged": pgettext_lazy("roster", "unchanged"),
}


@dataclass
class RosterReport:
    """What an import did, or would do: counts per kind, the changes, and the file's errors (then nothing is done)."""

    dry_run: bool
    people: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PEOPLE_OUTCOMES, 0))
    stores: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STORE_OUTCOMES, 0))
    regions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REGION_OUTCOMES, 0))
    changes: list[str] = field(default_factory=list)
    errors: list[RosterError] = field(default_factory=list)
    lines: int = 0

    @property
    def applied(self) -> bool:
        return not self.dry_run and not self.errors

    @property
    def change_count(self) -> int:
        counts = [*self.people.items(), *self.stores.items(), *self.regions.items()]
        return sum(count for outcome, count in counts if outcome != "unchanged")

    def summary(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """The counts with their labels in the active language, per kind: people, stores, regions."""
        kinds = [(_("People"), self.people), (_("Stores"), self.stores), (_("Regions"), self.regions)]
        return [(title, [(str(OUTCOME_LABELS[k]), count) for k, count in counts.items()]) for title, counts in kinds]

    def as_dict(self) -> dict:
        """JSON for the admin page's record (accounts.models.RosterUpload)."""
        return {
            "dry_run": self.dry_run,
            "lines": self.lines,
            "people": self.people,
            "stores": self.stores,
            "regions": self.regions,
            "changes": self.changes,
            "errors": [[error.line, str(error)] for error in self.errors],
        }


def roster_import(
    *, file: BinaryIO, filename: str, dry_run: bool = False, deactivate_missing: bool = False
) -> RosterReport:
    """Read the roster and apply it (or, with dry_run, only say what would change). All or nothing.

    Messages are in the active language: activate the operator's first.
    """
    report = RosterReport(dry_run=dry_run)
    lines, report.errors = read_roster(file, filename)
    report.lines = len(lines)
    if report.errors:
        return report
    with transaction.atomic():
        roster_lock()
        plan = RosterPlan(lines, report, deactivate_missing=deactivate_missing)
        if report.errors:
            report.errors.sort(key=lambda error: error.line)
            return report
        if not dry_run:
            plan.apply()
    return report


def roster_lock() -> None:
    """One import at a time (the admin's and a cron job's): the second waits for the first to commit.

    PostgreSQL: a lock held until the transaction ends. SQLite's IMMEDIATE transactions already queue writers.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROSTER_LOCK_KEY])


class RosterPlan:
    """The differences between the file and the database, worked out from maps read once."""

    def __init__(self, lines: list[RosterLine], report: RosterReport, *, deactivate_missing: bool):
        self.lines = lines
        self.report = report
        self.regions_by_name = {region.name.casefold(): region for region in Region.objects.all()}
        self.region_slugs = {region.slug for region in self.regions_by_name.values()}
        all_stores = list(Store.objects.all())
        self.stores_by_code = {store.store_code: store for store in all_stores if store.store_code}
        self.uncoded_stores = {store.name.casefold(): store for store in all_stores if not store.store_code}
        self.store_names = {store.name.casefold(): store for store in all_stores}
        self.store_slugs = {store.slug for store in all_stores}
        self.store_names_by_pk = {store.pk: store.name for store in all_stores}  # as they were
        self.renamed_stores: list[Store] = []
        self.new_regions: list[Region] = []
        self.renamed_regions: list[Region] = []
        self.new_stores: list[Store] = []
        self.changed_stores: list[Store] = []
        self.file_stores: dict[str, Store] = {}
        self.plan_regions()
        self.plan_stores()
        if report.errors:
            return
        self.new_people: list[tuple[User, str]] = []
        self.changed_people: list[User] = []
        self.deactivated: list[int] = []
        self.role_of: dict[int, str] = {}
        self.plan_people(deactivate_missing=deactivate_missing)

    # Regions and stores

    def store_lines(self) -> dict[str, RosterLine]:
        """Each store code's first line, which accounts.roster_file completed from the others."""
        first: dict[str, RosterLine] = {}
        for line in self.lines:
            if line.store_code:
                first.setdefault(line.store_code, line)
        return first

    def plan_regions(self) -> None:
        names = {line.region.casefold(): line.region for line in self.store_lines().values() if line.region}
        unknown = {key: name for key, name in names.items() if key not in self.regions_by_name}
        for key, name in sorted(unknown.items()):
            # The existing regions of the stores that now name this region: one, whose name the file no longer uses?
            previous = {
                self.stores_by_code[line.store_code].region_id
                for line in self.store_lines().values()
                if line.region.casefold() == key and line.store_code in self.stores_by_code
            }
            region = None
            if len(previous) == 1:
                candidate = next(r for r in self.regions_by_name.values() if r.pk in previous)
                if candidate.name.casefold() not in names and candidate not in self.renamed_regions:
                    region = candidate
            if region is not None:
                self.change(
                    "regions", "renamed", _("Region renamed: %(old)s → %(new)s") % {"old": region.name, "new": name}
                )
                region.name = name
                self.renamed_regions.append(region)
            else:
                region = Region(name=name, slug=unique_slug(name, self.region_slugs, fallback="region"))
                self.new_regions.append(region)
                self.change("regions", "created", _("New region: %(name)s") % {"name": name})
            self.regions_by_name[key] = region
        self.report.regions["unchanged"] = len(names) - len(unknown)

    def plan_stores(self) -> None:
        for code, line in self.store_lines().items():
            store = self.stores_by_code.get(code)
            if store is None and line.store_name:
                store = self.uncoded_stores.pop(line.store_name.casefold(), None)  # typed in by hand before
            region = self.regions_by_name.get(line.region.casefold()) if line.region else None
            if store is None:
                if not line.store_name or region is None:
                    self.error(line, _("Store %(code)s is new: give its name and region.") % {"code": code})
                    continue
                store = Store(
                    name=line.store_name,
                    slug=unique_slug(line.store_name, self.store_slugs, fallback="store"),
                    region=region,
                    city=line.city,
                    store_code=code,
                )
                self.new_stores.append(store)
                self.change(
                    "stores", "created", _("New store: %(name)s (%(code)s)") % {"name": store.name, "code": code}
                )
            else:
                self.plan_store_change(store, line, region)
            self.file_stores[code] = store
        for store in [*self.new_stores, *self.changed_stores]:
            holder = self.store_names.get(store.name.casefold())
            if holder is not None and holder is not store and holder.name.casefold() == store.name.casefold():
                line = self.store_lines()[store.store_code]
                self.error(
                    line,
                    _("Store %(code)s cannot be named “%(name)s”: another store has that name.")
                    % {"code": store.store_code, "name": store.name},
                )
            self.store_names[store.name.casefold()] = store

    def plan_store_change(self, store: Store, line: RosterLine, region: Region | None) -> None:
        old_name = store.name
        changed = store.store_code != line.store_code  # a store typed in by hand gets its code
        store.store_code = line.store_code
        if line.store_name and line.store_name != store.name:
            self.store_names.pop(store.name.casefold(), None)
            store.name = line.store_name
            self.renamed_stores.append(store)
            changed = True
        if line.city and line.city != store.city:
            store.city = line.city
            changed = True
        if region is not None and (region.pk is None or region.pk != store.region_id):
            store.region = region
            changed = True
        if not changed:
            self.report.stores["unchanged"] += 1
            return
        self.changed_stores.append(store)
        label = old_name if old_name == store.name else f"{old_name} → {store.name}"
        self.change(
            "stores", "updated", _("Store updated: %(store)s (%(code)s)") % {"store": label, "code": line.store_code}
        )

    # People

    def plan_people(self, *, deactivate_missing: bool) -> None:
        fields = ["username", "employee_id", "email", "first_name", "last_name", "store", "language", "is_active"]
        by_id: dict[str, User] = {}
        by_email: dict[str, list[User]] = defaultdict(list)
        for person in User.objects.filter(erased_at=None).only(*fields):
            if person.employee_id:
                by_id[person.employee_id] = person
            elif person.email:
                by_email[person.email.casefold()].append(person)
        self.usernames = {username.casefold() for username in User.objects.values_list("username", flat=True)}
        self.groups = dict(Group.objects.filter(name__in=set(ROLE_GROUPS.values())).values_list("name", "pk"))
        memberships = User.groups.through.objects.filter(group_id__in=self.groups.values())
        self.role_groups_of: dict[int, set[int]] = defaultdict(set)
        for user_id, group_id in memberships.values_list("user_id", "group_id"):
            self.role_groups_of[user_id].add(group_id)
        seen: set[int] = set()
        for line in self.lines:
            person = by_id.get(line.employee_id)
            if person is None:
                same_email = by_email.get(line.email.casefold(), []) if line.email else []
                person = same_email[0] if len(same_email) == 1 and same_email[0].pk not in seen else None
            if person is None:
                self.plan_new_person(line)
            else:
                seen.add(person.pk)
                self.plan_person_change(person, line)
        if deactivate_missing:
            file_ids = {line.employee_id for line in self.lines}
            for employee_id, person in by_id.items():
                if employee_id not in file_ids and person.is_active and person.pk not in seen:
                    person.is_active = False
                    self.changed_people.append(person)
                    self.deactivated.append(person.pk)
                    self.change("people", "deactivated", _("Left: %(person)s") % {"person": describe(person)})

    def plan_new_person(self, line: RosterLine) -> None:
        store = self.file_stores.get(line.store_code) if line.store_code else None
        person = User(
            username=self.new_username(line),
            employee_id=line.employee_id,
            email=line.email,
            first_name=line.first_name,
            last_name=line.last_name,
            store=store,
            language=line.language,
            is_active=line.active,
            password=make_password(None),
        )
        self.new_people.append((person, line.role))
        where = store.name if store else _("head office")
        self.change("people", "created", _("New: %(person)s, %(store)s") % {"person": describe(person), "store": where})

    def plan_person_change(self, person: User, line: RosterLine) -> None:
        store = self.file_stores.get(line.store_code) if line.store_code else None
        old_store_id = person.store_id
        was_active = person.is_active
        changed = False
        for name, value in [
            ("employee_id", line.employee_id),
            ("email", line.email),
            ("first_name", line.first_name),
            ("last_name", line.last_name),
            ("language", line.language),
            ("is_active", line.active),
        ]:
            if getattr(person, name) != value:
                setattr(person, name, value)
                changed = True
        moved = old_store_id is not None if store is None else (store.pk is None or store.pk != old_store_id)
        if moved:
            person.store = store
        self.role_of[person.pk] = line.role
        role_changed = self.role_groups_of.get(person.pk, set()) != {self.groups[ROLE_GROUPS[line.role]]}
        if not (changed or moved or role_changed):
            self.report.people["unchanged"] += 1
            return
        if changed or moved:
            self.changed_people.append(person)
        if was_active and not person.is_active:
            self.deactivated.append(person.pk)
            self.change("people", "deactivated", _("Left: %(person)s") % {"person": describe(person)})
        elif person.is_active and not was_active:
            self.change("people", "reactivated", _("Back: %(person)s") % {"person": describe(person)})
        elif moved:
            before = self.store_names_by_pk.get(old_store_id) or _("head office")
            after = store.name if store else _("head office")
            self.change(
                "people",
                "moved",
                _("Moved: %(person)s, %(old)s → %(new)s") % {"person": describe(person), "old": before, "new": after},
            )
        else:
            self.change("people", "updated", _("Updated: %(person)s") % {"person": describe(person)})

    def new_username(self, line: RosterLine) -> str:
        """first.last in plain letters, made unique with a number; never changed afterwards."""
        base = ascii_name(f"{line.first_name}.{line.last_name}")[:140].strip(".-") or "person"
        username, number = base, 1
        while username.casefold() in self.usernames:
            number += 1
            username = f"{base}{number}"
        self.usernames.add(username.casefold())
        return username

    # Writing

    def apply(self) -> None:
        """Write the plan: bulk inserts and updates, in the caller's transaction."""
        Region.objects.bulk_create(self.new_regions)
        Region.objects.bulk_update(self.renamed_regions, ["name"])
        if self.renamed_stores:
            # Two stores may swap names: free the names first (the column is unique).
            names = {store.pk: store.name for store in self.renamed_stores}
            for store in self.renamed_stores:
                store.name = f"~{store.pk}"
            Store.objects.bulk_update(self.renamed_stores, ["name"])
            for store in self.renamed_stores:
                store.name = names[store.pk]
        Store.objects.bulk_update(self.changed_stores, ["name", "city", "region", "store_code"], batch_size=BATCH_SIZE)
        Store.objects.bulk_create(self.new_stores, batch_size=BATCH_SIZE)
        User.objects.bulk_create([person for person, _role in self.new_people], batch_size=BATCH_SIZE)
        User.objects.bulk_update(self.changed_people, PERSON_FIELDS, batch_size=BATCH_SIZE)
        for person, role in self.new_people:
            self.role_of[person.pk] = role
        self.apply_roles()
        sessions_end(user_ids=set(self.deactivated))

    def apply_roles(self) -> None:
        """Each person in the file in exactly the role group the file says; other groups (Administrators) stay."""
        through = User.groups.through
        stale: dict[int, list[int]] = defaultdict(list)
        added = []
        for user_id, role in self.role_of.items():
            wanted = self.groups[ROLE_GROUPS[role]]
            current = self.role_groups_of.get(user_id, set())
            for group_id in current - {wanted}:
                stale[group_id].append(user_id)
            if wanted not in current:
                added.append(through(user_id=user_id, group_id=wanted))
        for group_id, user_ids in stale.items():
            for start in range(0, len(user_ids), BATCH_SIZE):
                through.objects.filter(group_id=group_id, user_id__in=user_ids[start : start + BATCH_SIZE]).delete()
        through.objects.bulk_create(added, batch_size=BATCH_SIZE)

    # Reporting

    def change(self, kind: str, outcome: str, text: str) -> None:
        getattr(self.report, kind)[outcome] += 1
        self.report.changes.append(text)

    def error(self, line: RosterLine, message: str) -> None:
        self.report.errors.append(RosterError(line.line, message))


def describe(person: User) -> str:
    return f"{person.first_name} {person.last_name} ({person.employee_id})"


def ascii_name(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9.]+", "-", text.replace(" ", "-")).strip("-")


def unique_slug(name: str, taken: set[str], *, fallback: str) -> str:
    base = slugify(name)[:100].strip("-") or fallback
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def sessions_end(*, user_ids: set[int]) -> int:
    """Sign these people out everywhere: delete their sessions (sessions live in the database)."""
    if not user_ids:
        return 0
    wanted = {str(pk) for pk in user_ids}
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) in wanted
    ]
    for start in range(0, len(ended), BATCH_SIZE):
        Session.objects.filter(pk__in=ended[start : start + BATCH_SIZE]).delete()
    return len(ended)


def operator_language() -> str:
    """The language of the person at the terminal (LC_ALL, LC_MESSAGES, LANG), if the site speaks it."""
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"]:
        code = os.environ.get(name, "")[:2].lower()
        if code in dict(settings.LANGUAGES):
            return code
    return settings.LANGUAGE_CODE
