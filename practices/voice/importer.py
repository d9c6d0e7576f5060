"""Feedback files in: survey tools', mystery-shopping agencies' and review sites' exports (CSV or XLSX).

`feedback_import()` reads the file with the roster's reader (config/tabular.py), checks every line,
and unless it is a dry run writes everything in one transaction; a file with any invalid line writes
nothing and every problem is listed with its line number, in the active language.

Columns (English or French headers, extra columns ignored): date, store_code or store, source, rating,
text, language, external_id, scale, and one `pillar:<slug>` score column per pillar (mystery shops).
Personal data leaves the text before anything else sees it (practices.voice.scrub). A line with an
external_id already imported updates that item; a curator's confirmed pillars and sentiment stay.

Speed: stores, pillars and existing items are read in a few queries; writes are bulk inserts and updates.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Store
from config.tabular import LineError, NotReadable, has_control_character, header_columns, normalise, open_rows
from practices.models import Feedback
from practices.voice.matching import Matcher
from practices.voice.scrub import scrub
from stories.models import Pillar

COLUMN_NAMES = {
    "date": ["date", "jour", "date_avis", "date_visite", "date_de_visite", "visit_date", "created_at"],
    "store_code": ["store_code", "code_magasin", "code_du_magasin", "code_boutique", "shop_code"],
    "store_name": ["store", "store_name", "shop", "magasin", "nom_magasin", "nom_du_magasin", "boutique"],
    "source": ["source", "channel", "canal", "origine"],
    "rating": ["rating", "score", "note", "grade"],
    "text": ["text", "comment", "comments", "verbatim", "feedback", "texte", "commentaire", "commentaires", "avis"],
    "language": ["language", "lang", "langue"],
    "external_id": ["external_id", "id", "reference", "ref", "response_id", "id_externe", "identifiant"],
    "scale": ["scale", "echelle", "bareme"],
}
HEADER = {alias: column for column, aliases in COLUMN_NAMES.items() for alias in aliases}
REQUIRED_COLUMNS = ["date", "source", "text"]
PILLAR_PREFIXES = ("pillar:", "pilier:")

SOURCE_WORDS = {
    **dict.fromkeys(["survey", "enquete", "questionnaire", "sondage", "enquete_satisfaction"], "survey"),
    **dict.fromkeys(["mystery_shop", "mystery_shopping", "mystery_shopper", "mystery"], "mystery_shop"),
    **dict.fromkeys(["visite_mystere", "client_mystere", "achat_mystere", "visite_mystere_client"], "mystery_shop"),
    **dict.fromkeys(["review", "online_review", "reviews", "avis", "avis_en_ligne", "avis_client"], "review"),
    **dict.fromkeys(["social", "social_network", "social_media", "reseaux_sociaux", "reseau_social"], "social"),
    **dict.fromkeys(["in_store", "instore", "store", "en_magasin", "magasin", "en_boutique", "boutique"], "in_store"),
}
LANGUAGE_WORDS = {
    **dict.fromkeys(["", "none", "aucune"], ""),
    **dict.fromkeys(["fr", "fra", "fre", "fr_fr", "fr_be", "fr_ch", "fr_ca", "francais", "french"], "fr"),
    **dict.fromkeys(["en", "eng", "en_gb", "en_us", "anglais", "english"], "en"),
}
FRENCH_WORDS = {"le", "la", "les", "un", "une", "et", "est", "pas", "tres", "avec", "pour", "je", "nous", "du", "des"}
ENGLISH_WORDS = {"the", "and", "is", "was", "not", "very", "with", "for", "i", "we", "my", "to", "of", "it", "you"}
MAX_TEXT = 5000
MAX_EXTERNAL_ID = 100
BATCH_SIZE = 1000


def max_bytes() -> int:
    return getattr(settings, "FEEDBACK_MAX_BYTES", 20 * 1024 * 1024)


def max_rows() -> int:
    return getattr(settings, "FEEDBACK_MAX_ROWS", 200_000)


@dataclass(slots=True)
class FeedbackLine:
    line: int
    date: date
    store_id: int
    source: str
    rating: int | None  # 0-10
    text: str  # already without personal data
    language: str
    external_id: str | None
    pillar_scores: dict[str, int]


@dataclass
class FeedbackReport:
    dry_run: bool
    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)

    def summary(self) -> str:
        return _("%(lines)d lines: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.") % {
            "lines": self.lines,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def detect_language(text: str) -> str:
    words = set(re.findall(r"\w+", normalise(text).replace("_", " ")))
    french, english = len(words & FRENCH_WORDS), len(words & ENGLISH_WORDS)
    return "fr" if french > english else "en" if english > french else ""


def parse_date(value: str) -> date | None:
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def parse_number(value: str) -> float | None:
    try:
        return float(value.strip().replace(",", "."))
    except ValueError:
        return None


class Reader:
    """The file's lines, checked against the stores and pillars read once."""

    def __init__(self, *, scale: int | None):
        self.scale = scale
        self.stores_by_code = {}
        self.stores_by_name = {}
        for pk, code, name in Store.objects.values_list("pk", "store_code", "name"):
            if code:
                self.stores_by_code[code.casefold()] = pk
            self.stores_by_name[name.casefold()] = pk
        self.pillar_slugs = set(Pillar.objects.values_list("slug", flat=True))

    def read(self, file: BinaryIO, filename: str) -> tuple[list[FeedbackLine], list[LineError]]:
        errors: list[LineError] = []
        try:
            rows = open_rows(
                file,
                filename,
                errors,
                max_bytes=max_bytes(),
                not_text=_("This is not a text file: export the feedback as CSV (UTF-8) or XLSX."),
            )
            lines = self.check_rows(rows, errors)
        except NotReadable as refusal:
            return [], [refusal.error]
        errors.sort(key=lambda error: error.line)
        return lines, errors

    def check_rows(self, rows, errors: list[LineError]) -> list[FeedbackLine]:
        _number, header = next(rows, (0, []))
        if not any(cell.strip() for cell in header):
            raise NotReadable(LineError(0, _("The file is empty.")))
        columns = header_columns(header, HEADER, REQUIRED_COLUMNS)
        if "store_code" not in columns and "store_name" not in columns:
            raise NotReadable(
                LineError(
                    1, _("A store column is missing: store_code or store (the first line must name the columns).")
                )
            )
        pillars: dict[str, int] = {}
        for index, name in enumerate(header):
            lowered = name.strip().casefold()
            if lowered.startswith(PILLAR_PREFIXES):
                slug = lowered.split(":", 1)[1].strip()
                if slug not in self.pillar_slugs:
                    raise NotReadable(
                        LineError(
                            1,
                            _("The column “%(column)s” names no pillar (known: %(slugs)s).")
                            % {"column": name.strip(), "slugs": ", ".join(sorted(self.pillar_slugs))},
                        )
                    )
                pillars[slug] = index
        labels = {column: header[index].strip() for column, index in columns.items()}
        lines: list[FeedbackLine] = []
        first_line_of: dict[str, int] = {}
        for number, row in rows:
            if not any(cell.strip() for cell in row):
                continue
            if len(lines) >= max_rows():
                raise NotReadable(LineError(number, _("The file has more than %(rows)d lines.") % {"rows": max_rows()}))
            line = self.check_row(number, row, columns, labels, pillars, errors)
            if line is None:
                continue
            if line.external_id:
                if line.external_id in first_line_of:
                    errors.append(
                        LineError(
                            number,
                            _("The external ID %(value)s is already on line %(line)d.")
                            % {"value": line.external_id, "line": first_line_of[line.external_id]},
                        )
                    )
                    continue
                first_line_of[line.external_id] = number
            lines.append(line)
        return lines

    def check_row(self, number, row, columns, labels, pillars, errors) -> FeedbackLine | None:
        def cell(index: int) -> str:
            return row[index].strip() if index < len(row) else ""

        values = {column: cell(index) for column, index in columns.items()}
        problems: list[str] = []
        for column, value in list(values.items()):
            allowed = value.replace("\n", " ").replace("\t", " ").replace("\r", " ") if column == "text" else value
            if has_control_character(allowed):
                problems.append(_("“%(column)s” contains a control character.") % {"column": labels[column]})
                values[column] = ""
        # The date
        day = parse_date(values["date"]) if values["date"] else None
        if not values["date"]:
            problems.append(_("“%(column)s” is empty.") % {"column": labels["date"]})
        elif day is None:
            problems.append(_("“%(value)s” is not a date (2025-03-31 or 31/03/2025).") % {"value": values["date"][:40]})
        elif day > timezone.localdate():
            problems.append(_("The date %(value)s is in the future.") % {"value": values["date"]})
        # The store
        store_id = None
        code, name = values.get("store_code", ""), values.get("store_name", "")
        if code:
            store_id = self.stores_by_code.get(code.casefold())
            if store_id is None:
                problems.append(_("Unknown store code “%(code)s”.") % {"code": code[:40]})
        elif name:
            store_id = self.stores_by_name.get(name.casefold())
            if store_id is None:
                problems.append(_("Unknown store “%(name)s”.") % {"name": name[:120]})
        else:
            problems.append(_("The store is empty."))
        # The source
        source = SOURCE_WORDS.get(normalise(values["source"]))
        if source is None:
            problems.append(
                _("Unknown source “%(source)s” (expected one of: %(sources)s).")
                % {"source": values["source"][:40], "sources": ", ".join(Feedback.Source.values)}
            )
        # The rating, on its scale
        scale = self.scale
        if values.get("scale"):
            scale = 5 if values["scale"].strip() == "5" else 10 if values["scale"].strip() == "10" else 0
            if not scale:
                problems.append(_("The scale must be 5 or 10, not “%(value)s”.") % {"value": values["scale"][:20]})
        scale = scale or 10
        rating = None
        if values.get("rating"):
            number_value = parse_number(values["rating"])
            low = 1 if scale == 5 else 0
            if number_value is None or not low <= number_value <= scale:
                problems.append(
                    _("The rating “%(value)s” is not a number from %(low)d to %(high)d.")
                    % {"value": values["rating"][:20], "low": low, "high": scale}
                )
            else:
                rating = round(number_value * 10 / scale)
        # The text
        text = values["text"]
        if not text:
            problems.append(_("“%(column)s” is empty.") % {"column": labels["text"]})
        elif len(text) > MAX_TEXT:
            problems.append(
                _("“%(column)s” is longer than %(max)d characters.") % {"column": labels["text"], "max": MAX_TEXT}
            )
        # The language, the external ID
        language = LANGUAGE_WORDS.get(normalise(values.get("language", "")))
        if language is None:
            problems.append(_("Unknown language “%(language)s” (fr, en or empty).") % {"language": values["language"]})
        external_id = values.get("external_id") or None
        if external_id and len(external_id) > MAX_EXTERNAL_ID:
            problems.append(
                _("“%(column)s” is longer than %(max)d characters.")
                % {"column": labels["external_id"], "max": MAX_EXTERNAL_ID}
            )
        # Pillar scores (mystery shops)
        scores: dict[str, int] = {}
        for slug, index in pillars.items():
            raw = cell(index)
            if not raw:
                continue
            score = parse_number(raw)
            if score is None or not 0 <= score <= 10:
                problems.append(
                    _("The score “%(value)s” for %(pillar)s is not a number from 0 to 10.")
                    % {"value": raw[:20], "pillar": slug}
                )
            else:
                scores[slug] = round(score)
        errors.extend(LineError(number, problem) for problem in problems)
        if problems:
            return None
        text = scrub(text)
        return FeedbackLine(
            line=number,
            date=day,
            store_id=store_id,
            source=source,
            rating=rating,
            text=text,
            language=language or detect_language(text),
            external_id=external_id,
            pillar_scores=scores,
        )


PLAIN_FIELDS = ["date", "store_id", "source", "rating", "text", "language", "pillar_scores"]


def feedback_import(*, file: BinaryIO, filename: str, dry_run: bool = False, scale: int | None = None):
    """Read a feedback file and store it (or, with dry_run, only count). All or nothing. Messages: active language."""
    report = FeedbackReport(dry_run=dry_run)
    lines, report.errors = Reader(scale=scale).read(file, filename)
    report.lines = len(lines)
    if report.errors:
        return report
    with transaction.atomic():
        existing = existing_items([line.external_id for line in lines if line.external_id])
        matcher = Matcher()
        new: list[tuple[Feedback, object]] = []
        changed: list[tuple[Feedback, object | None]] = []
        for line in lines:
            item = existing.get(line.external_id) if line.external_id else None
            if item is None:
                item = Feedback(**{name: getattr(line, name) for name in PLAIN_FIELDS}, external_id=line.external_id)
                match = matcher.match(line.text, line.rating)
                item.sentiment, item.reason = match.sentiment, match.reason
                new.append((item, match))
                continue
            text_changed = item.text != line.text or item.rating != line.rating
            if all(getattr(item, name) == getattr(line, name) for name in PLAIN_FIELDS):
                report.unchanged += 1
                continue
            for name in PLAIN_FIELDS:
                setattr(item, name, getattr(line, name))
            match = None
            if text_changed and item.confirmed_at is None:  # a curator's correction is never overwritten
                match = matcher.match(line.text, line.rating)
                item.sentiment, item.reason = match.sentiment, match.reason
            changed.append((item, match))
        report.created, report.updated = len(new), len(changed)
        if dry_run:
            return report
        Feedback.objects.bulk_create([item for item, _match in new], batch_size=BATCH_SIZE)
        Feedback.objects.bulk_update(
            [item for item, _match in changed], [*PLAIN_FIELDS, "sentiment", "reason"], batch_size=BATCH_SIZE
        )
        rematched = [(item, match) for item, match in [*new, *changed] if match is not None]
        set_matches(rematched, matcher, replace=[item.pk for item, match in changed if match is not None])
    return report


def existing_items(external_ids: list[str]) -> dict[str, Feedback]:
    found: dict[str, Feedback] = {}
    for start in range(0, len(external_ids), BATCH_SIZE):
        chunk = external_ids[start : start + BATCH_SIZE]
        found.update({item.external_id: item for item in Feedback.objects.filter(external_id__in=chunk)})
    return found


def set_matches(items, matcher: Matcher, *, replace: list[int]) -> None:
    """Write the pillars and suggestions of freshly matched items (bulk, through the M2M tables)."""
    through = {
        "pillars": (Feedback.pillars.through, "pillar_id"),
        "suggested_standards": (Feedback.suggested_standards.through, "standard_id"),
        "suggested_stories": (Feedback.suggested_stories.through, "story_id"),
    }
    for start in range(0, len(replace), BATCH_SIZE):
        for model, _column in through.values():
            model.objects.filter(feedback_id__in=replace[start : start + BATCH_SIZE]).delete()
    rows: dict[str, list[tuple[int, int]]] = {name: [] for name in through}
    for item, match in items:
        standards, stories = matcher.suggestions(match) if match.words or match.pillar_ids else ([], [])
        chosen = {"pillars": match.pillar_ids, "suggested_standards": standards, "suggested_stories": stories}
        for name, ids in chosen.items():
            rows[name].extend((item.pk, pk) for pk in ids)
    # Plain two-integer rows: one executemany per batch costs a fraction of building model instances.
    with connection.cursor() as cursor:
        for name, (model, column) in through.items():
            table = connection.ops.quote_name(model._meta.db_table)
            # Table and column names come from our models, quoted; the values are parameters.
            sql = f"INSERT INTO {table} (feedback_id, {connection.ops.quote_name(column)}) VALUES (%s, %s)"  # noqa: S608
            for start in range(0, len(rows[name]), BATCH_SIZE):
                cursor.executemany(sql, rows[name][start : start + BATCH_SIZE])


def record_match(item: Feedback, matcher: Matcher | None = None) -> None:
    """Match one saved item (told in a store, or a curator asked again) and store its pillars and suggestions."""
    matcher = matcher or Matcher()
    match = matcher.match(item.text, item.rating)
    item.sentiment, item.reason = match.sentiment, match.reason
    item.save(update_fields=["sentiment", "reason"])
    set_matches([(item, match)], matcher, replace=[item.pk])
