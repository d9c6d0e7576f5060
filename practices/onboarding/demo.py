"""Demo onboarding (run by `manage.py seed_demo` after the demo standards).

A "First weeks in store" path of six standards for new hires, three of them with a
judgement case; lea is part-way: two standards read, one case answered, and one
standard she read before its material revision, so her progress shows the reset.
Safe to run again: nothing is added once the path exists.
"""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from accounts.models import Notification, User
from practices.library.services import standard_set_situation
from practices.models import Acknowledgement, LearningPath, Standard
from practices.onboarding import services as onboarding

CURATOR = "julien"
LEARNER = "lea"
PATH_TITLE = "First weeks in store"
PATH_DESCRIPTION = (
    "Six standards every new colleague meets in their first weeks, each one born from a colleague's story. "
    "Read them in order, and try the judgement cases before you read the answer."
)

# (standard title, note from the curator, situation or "")
STEPS = [
    (
        "Régler le problème du client, même s'il ne vient pas de chez nous",
        "The story everyone tells new colleagues: start here.",
        "Un monsieur arrive à la caisse avec une bouilloire en panne, sûr de l'avoir achetée chez nous il y a deux "
        "ans. En cherchant la référence, vous comprenez que le magasin n'a jamais vendu ce modèle. Il y a du monde "
        "dans la file, et il attend votre réponse.",
    ),
    (
        "Offer to read the small print aloud",
        "",
        "A regular customer in her eighties is holding a jumper very close to her face, then at arm's length. She "
        "has left her glasses at home and cannot read the care label or the price. She has not asked for help.",
    ),
    (
        "Lend a phone charger at the till",
        "",
        "A customer is about to leave when her phone dies. Her train leaves in forty minutes and her ticket is on "
        "the phone. She looks at you, then at the door.",
    ),
    ("Servir un client malentendant sans le faire répéter", "", ""),
    ("Carry heavy purchases to the car", "Two stores already do it; ask your manager who covers the floor.", ""),
    ("Judge a late complaint by the product, not the calendar", "", ""),
]
READ = 2  # lea confirmed the first two standards
ANSWERED = 0  # and answered the first judgement case
LEA_ANSWER = (
    "Je lui dirais que ce n'est pas un modèle de chez nous, mais je regarderais avec ma responsable si on peut "
    "quand même l'aider, par exemple en l'échangeant."
)


def seed() -> None:
    if LearningPath.objects.filter(title=PATH_TITLE).exists():
        return
    curator = User.objects.get(username=CURATOR)
    standards = {standard.title: standard for standard in Standard.objects.published()}
    path = onboarding.path_create(
        curator=curator,
        title=PATH_TITLE,
        description=PATH_DESCRIPTION,
        audience=Group.objects.get(name=roles.NEW_HIRES),
    )
    steps = []
    for title, note, situation in STEPS:
        standard = standards.get(title)
        if standard is None:
            continue
        if situation and not standard.situation:
            standard_set_situation(standard=standard, editor=curator, situation=situation)
        steps.append(onboarding.path_step_add(path=path, standard=standard, note=note))
    _lea_part_way([step.standard for step in steps], curator)


def _lea_part_way(standards: list[Standard], curator: User) -> None:
    lea = User.objects.filter(username=LEARNER).first()
    if lea is None or len(standards) < READ:
        return
    now = timezone.now()
    onboarding.case_answer_save(user=lea, standard=standards[ANSWERED], text=LEA_ANSWER)
    for days_ago, standard in zip([6, 4], standards[:READ], strict=True):
        acknowledgement, _ = onboarding.standard_acknowledge(user=lea, standard=standard, revision=standard.revision)
        Acknowledgement.objects.filter(pk=acknowledgement.pk).update(acknowledged_at=now - timedelta(days=days_ago))
    # Read before a material revision: the record of an earlier reading, and the notification she got.
    revised = next((standard for standard in standards if standard.material_revision > 1), None)
    if revised is not None:
        revision = revised.revisions.get(number=revised.material_revision)
        Acknowledgement.objects.create(
            user=lea,
            standard=revised,
            revision=revised.material_revision - 1,
            acknowledged_at=revision.created_at - timedelta(days=10),
        )
        notification = Notification.objects.create(
            recipient=lea,
            actor=curator,
            kind=Notification.Kind.REREAD,
            url=revised.get_absolute_url(),
            params={"standard": revised.title, "revision": revised.material_revision},
            once_key=f"reread:{revised.pk}:{revised.material_revision}",
        )
        Notification.objects.filter(pk=notification.pk).update(created_at=revision.created_at)
