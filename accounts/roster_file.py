"""Reading the HR roster file: CSV or XLSX in, checked lines out (accounts/roster.py applies them).

Reading the file (CSV or XLSX, streamed, errors with line numbers) is config/tabular.py's,
shared with the feedback import; this module knows the roster's columns and rules.
"""

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from config.tabular import LineError, NotReadable, header_columns, normalise, open_rows

# Header names, normalised (see `normalise`), English and French.
COLUMN_NAMES = {
    "employee_id": ["employee_id", "employee_number", "employee", "matricule", "n_matricule", "id_employe"],
    "email": ["email", "e_mail", "mail", "courriel", "adresse_email", "adresse_e_mail", "adresse_mail"],
    "first_name": ["first_name", "firstname", "given_name", "prenom"],
    "last_name": ["last_name", "lastname", "surname", "family_name", "nom", "nom_de_famille"],
    "store_code": ["store_code", "code_magasin", "code_du_magasin", "code_boutique"],
    "store_name": ["store_name", "store", "nom_magasin", "nom_du_magasin", "magasin", "boutique"],
    "city": ["city", "ville"],
    "region": ["region"],
    "role": ["role", "fonction", "poste"],
    "language": ["language", "lang", "langue"],
    "active": ["active", "is_active", "actif", "active_e", "actif_ve"],
}
HEADER = {alias: column for column, aliases in COLUMN_NAMES.items() for alias in aliases}
REQUIRED_COLUMNS = ["employee_id", "email", "first_name", "last_name", "store_code", "role"]

ROLES = ["staff", "new_hire", "curator", "head_office"]
ROLE_WORDS = {
    **dict.fromkeys(["staff", "employee", "employe", "employee_e", "collaborateur", "collaboratrice"], "staff"),
    **dict.fromkeys(["vendeur", "vendeuse", "conseiller", "conseillere", "equipe", "personnel"], "staff"),
    **dict.fromkeys(["new_hire", "newhire", "new", "nouvel_arrivant", "nouvelle_arrivante"], "new_hire"),
    **dict.fromkeys(["nouveau", "nouvelle", "recrue", "nouvel_embauche", "nouvelle_embauche"], "new_hire"),
    **dict.fromkeys(["curator", "curateur", "curatrice", "manager", "responsable"], "curator"),
    **dict.fromkeys(["head_office", "headoffice", "hq", "siege", "siege_social"], "head_office"),
}
ACTIVE_WORDS = {
    **dict.fromkeys(["", "1", "yes", "y", "true", "oui", "o", "vrai", "actif", "active"], True),
    **dict.fromkeys(["0", "no", "n", "false", "non", "faux", "inactif", "inactive"], False),
}
LANGUAGE_WORDS = {
    **dict.fromkeys(["", "none", "aucune"], ""),
    **dict.fromkeys(["fr", "fra", "fre", "fr_fr", "fr_be", "fr_ch", "fr_ca", "francais", "french"], "fr"),
    **dict.fromkeys(["en", "eng", "en_gb", "en_us", "anglais", "english"], "en"),
}
MAX_LENGTHS = {
    "employee_id": 64,
    "email": 254,
    "first_name": 150,
    "last_name": 150,
    "store_code": 32,
    "store_name": 120,
    "city": 100,
    "region": 100,
}

validate_email = EmailValidator()


def max_bytes() -> int:
    return getattr(settings, "ROSTER_MAX_BYTES", 10 * 1024 * 1024)


def max_rows() -> int:
    return getattr(settings, "ROSTER_MAX_ROWS", 200_000)


@dataclass(slots=True)
class RosterLine:
    """One person as the roster describes them, checked."""

    line: int
    employee_id: str
    email: str
    first_name: str
    last_name: str
    store_code: str
    store_name: str
    city: str
    region: str
    role: str  # one of ROLES
    language: str  # "", "fr" or "en"
    active: bool


RosterError = LineError  # the roster's names for the shared reader's (config/tabular.py)
NotARoster = NotReadable


def read_roster(file: BinaryIO, filename: str) -> tuple[list[RosterLine], list[RosterError]]:
    """The file's people and every problem found, line by line. The file must be seekable (a file or an upload)."""
    errors: list[RosterError] = []
    try:
        rows = open_rows(
            file,
            filename,
            errors,
            max_bytes=max_bytes(),
            not_text=_("This is not a text file: export the roster as CSV (UTF-8) or XLSX."),
        )
        lines = check_rows(rows, errors)
    except NotARoster as refusal:
        return [], [refusal.error]
    errors.sort(key=lambda error: error.line)
    return lines, errors


def check_rows(rows: Iterator[tuple[int, list[str]]], errors: list[RosterError]) -> list[RosterLine]:
    _number, header = next(rows, (0, []))
    if not any(cell.strip() for cell in header):
        raise NotARoster(RosterError(0, _("The file is empty.")))
    columns = header_columns(header, HEADER, REQUIRED_COLUMNS)
    labels = {column: header[index].strip() for column, index in columns.items()}  # as the file names them
    lines: list[RosterLine] = []
    first_line_of: dict[str, int] = {}  # employee IDs and e-mails seen, to name a duplicate's first line
    stores: dict[str, RosterLine] = {}  # each store code's first line, which the others must agree with
    for number, row in rows:
        if not any(cell.strip() for cell in row):
            continue  # spreadsheets leave empty rows at the end
        if len(lines) >= max_rows():
            raise NotARoster(RosterError(number, _("The file has more than %(rows)d people.") % {"rows": max_rows()}))
        line = check_row(number, row, columns, labels, errors)
        if line is None:
            continue
        check_unique(line, first_line_of, errors)
        check_store(line, stores, labels, errors)
        lines.append(line)
    return lines


def check_row(
    number: int, row: list[str], columns: dict[str, int], labels: dict[str, str], errors: list[RosterError]
) -> RosterLine | None:
    """One row as a RosterLine, or None with its problems added to `errors`."""
    values = {column: (row[index].strip() if index < len(row) else "") for column, index in columns.items()}
    problems: list[str] = []
    for column, value in list(values.items()):
        if any(unicodedata.category(char) == "Cc" for char in value):
            problems.append(_("“%(column)s” contains a control character.") % {"column": labels[column]})
            values[column] = None
        elif len(value) > MAX_LENGTHS.get(column, 100):
            problems.append(
                _("“%(column)s” is longer than %(max)d characters.")
                % {"column": labels[column], "max": MAX_LENGTHS.get(column, 100)}
            )
            values[column] = None
    for column in ["employee_id", "first_name", "last_name", "role"]:
        if values[column] == "":
            problems.append(_("“%(column)s” is empty.") % {"column": labels[column]})
    role = ROLE_WORDS.get(normalise(values["role"] or ""))
    if values["role"] and role is None:
        problems.append(
            _("Unknown role “%(role)s” (expected one of: %(roles)s).")
            % {"role": values["role"], "roles": ", ".join(ROLES)}
        )
    if values["store_code"] == "" and role in ("staff", "new_hire"):
        problems.append(_("The store code is empty (only head-office people and curators may have no store)."))
    email = values["email"] or ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("“%(email)s” is not a valid e-mail address.") % {"email": email})
    raw_language, raw_active = values.get("language", ""), values.get("active", "")
    language = LANGUAGE_WORDS.get(normalise(raw_language)) if raw_language is not None else ""
    if language is None:
        problems.append(_("Unknown language “%(language)s” (fr, en or empty).") % {"language": raw_language})
    active = ACTIVE_WORDS.get(normalise(raw_active)) if raw_active is not None else True
    if active is None:
        problems.append(
            _("“%(value)s” is not a yes or no for “active” (1/0, yes/no, oui/non).") % {"value": raw_active}
        )
    errors.extend(RosterError(number, problem) for problem in problems)
    if problems:
        return None
    return RosterLine(
        line=number,
        employee_id=values["employee_id"],
        email=email,
        first_name=values["first_name"],
        last_name=values["last_name"],
        store_code=values["store_code"] if role != "head_office" else "",  # head office: no store
        store_name=values.get("store_name", ""),
        city=values.get("city", ""),
        region=values.get("region", ""),
        role=role,
        language=language,
        active=active,
    )


def check_unique(line: RosterLine, first_line_of: dict[str, int], errors: list[RosterError]) -> None:
    keys = [("id:" + line.employee_id, _("The employee ID %(value)s is already on line %(line)d."), line.employee_id)]
    if line.email:
        keys.append(
            ("email:" + line.email.casefold(), _("The e-mail %(value)s is already on line %(line)d."), line.email)
        )
    for key, message, value in keys:
        if key in first_line_of:
            errors.append(RosterError(line.line, message % {"value": value, "line": first_line_of[key]}))
        else:
            first_line_of[key] = line.line


def check_store(
    line: RosterLine, stores: dict[str, RosterLine], labels: dict[str, str], errors: list[RosterError]
) -> None:
    """Lines of one store code must agree on its name, city and region (empty cells leave them to the others).

    The store's first line collects what the others add, so it describes the store for accounts.roster.
    """
    if not line.store_code:
        return
    first = stores.setdefault(line.store_code, line)
    if first is line:
        return
    for field in ["store_name", "city", "region"]:
        label = labels.get(field, field)
        theirs, mine = getattr(first, field), getattr(line, field)
        if not theirs and mine:
            setattr(first, field, mine)
        elif theirs and mine and theirs != mine:
            errors.append(
                RosterError(
                    line.line,
                    _("Store %(code)s: “%(column)s” is “%(value)s” here but “%(other)s” on line %(first)d.")
                    % {"code": line.store_code, "column": label, "value": mine, "other": theirs, "first": first.line},
                )
            )
