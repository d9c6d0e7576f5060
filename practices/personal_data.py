"""A person's learning, referent roles and digests: practices' part of accounts.personal_data.

Acknowledgements stay on erasure (the dashboard counts them; the person's row no
longer says who they were); judgement-case answers, paths, referent roles and
digest records go. Runs after stories': the words of the person's name that no
story or standard uses any more leave search's list of known words.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from config.text import search_text
from practices.models import Acknowledgement, CaseAnswer, DigestDelivery, PathAssignment, Promotion, Referent, Standard
from practices.referents.services import referent_marks_changed
from stories.models import SearchWord, Story


def export(person: User) -> dict[str, list]:
    return {
        "acknowledgements": [
            {"standard": ack.standard.title, "revision": ack.revision, "read_on": ack.acknowledged_at}
            for ack in Acknowledgement.objects.filter(user=person).select_related("standard")
        ],
        "judgement_case_answers": [
            {"standard": answer.standard.title, "answer": answer.text, "created_at": answer.created_at}
            for answer in CaseAnswer.objects.filter(user=person).select_related("standard")
        ],
        "learning_paths": [
            {"path": assignment.path.title, "assigned_at": assignment.created_at}
            for assignment in PathAssignment.objects.filter(user=person).select_related("path")
        ],
        "referent_roles": [
            {"pillar": role.pillar.name, "region": role.region.name, "named_at": role.named_at}
            for role in Referent.objects.filter(person=person).select_related("pillar", "region")
        ],
        "standards_crediting_my_stories": [
            {"standard": promotion.standard.title, "story": promotion.story_id, "promoted_at": promotion.created_at}
            for promotion in Promotion.objects.filter(story__author=person).select_related("standard")
        ],
        "weekly_digests": [delivery.week for delivery in DigestDelivery.objects.filter(person=person)],
    }


def photos(person: User) -> list:
    return []


def erasure_counts(person: User, *, delete_content: bool) -> list[tuple[str, int]]:
    counts = [
        (_("judgement case answers deleted"), CaseAnswer.objects.filter(user=person).count()),
        (_("referent roles ended"), Referent.objects.filter(person=person).count()),
        (_("acknowledgements kept, as counts"), Acknowledgement.objects.filter(user=person).count()),
    ]
    if delete_content:
        credited = Promotion.objects.filter(story__author=person).count()
        counts.append((_("stories kept all the same: a standard credits them"), credited))
    return counts


def erase(person: User, *, delete_content: bool) -> None:
    CaseAnswer.objects.filter(user=person).delete()
    PathAssignment.objects.filter(user=person).delete()
    DigestDelivery.objects.filter(person=person).delete()
    if Referent.objects.filter(person=person).exists():
        Referent.objects.filter(person=person).delete()
        referent_marks_changed(person_id=person.pk)
    known_words_forget(person)


def known_words_forget(person: User) -> None:
    """The person's names leave search's known words (spelling suggestions) unless some text still uses them."""
    for word in set(search_text(person.username, person.first_name, person.last_name).split()):
        used = Q(search_document__contains=word)
        if not Story.objects.filter(used).exists() and not Standard.objects.filter(used).exists():
            SearchWord.objects.filter(word=word).delete()
