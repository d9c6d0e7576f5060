"""Demo onboarding (run by `manage.py seed_demo` after the demo standards).

"Premières semaines en magasin", a path of five standards for new hires, in French like the demo's stores
and people (each person's path in their language: every step is a French standard, three of them with a
judgement case); lea is part-way: two standards read, one case answered, and one standard she read before
its material revision, so her progress shows the reset.
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
PATH_TITLE = "Premières semaines en magasin"
EARLIER_TITLES = ["First weeks in store"]  # the demo path's name in earlier demo databases: not made twice
PATH_DESCRIPTION = (
    "Cinq standards que chaque nouveau collègue rencontre dans ses premières semaines, chacun né de l'histoire "
    "d'un collègue. Lisez-les dans l'ordre, et essayez les cas pratiques avant de lire la réponse."
)

# (standard title, note from the curator, situation or "")
STEPS = [
    (
        "Régler le problème du client, même s'il ne vient pas de chez nous",
        "L'histoire que tout le monde raconte aux nouveaux : commencez par celle-ci.",
        "Un monsieur arrive à la caisse avec une bouilloire en panne, sûr de l'avoir achetée chez nous il y a deux "
        "ans. En cherchant la référence, vous comprenez que le magasin n'a jamais vendu ce modèle. Il y a du monde "
        "dans la file, et il attend votre réponse.",
    ),
    (
        "Servir un client malentendant sans le faire répéter",
        "",
        "Une cliente s'approche du comptoir et vous montre l'écran de son téléphone : « Je suis sourde, je cherche "
        "un cadeau pour ma fille. » Derrière elle, deux clients attendent leur tour.",
    ),
    (
        "Prêter un parapluie les jours d'averse",
        "",
        "Il pleut à verse depuis une heure. Un client règle ses achats en regardant la porte : il n'a ni parapluie "
        "ni capuche, et sa voiture est garée à l'autre bout de la rue.",
    ),
    ("Un petit dessin sur le paquet cadeau", "", ""),
    ("Rappeler le client dès qu'on a la réponse", "Demandez à votre responsable quel téléphone utiliser.", ""),
]
READ = 2  # lea confirmed the first two standards
ANSWERED = 0  # and answered the first judgement case
LEA_ANSWER = (
    "Je lui dirais que ce n'est pas un modèle de chez nous, mais je regarderais avec ma responsable si on peut "
    "quand même l'aider, par exemple en l'échangeant."
)


def seed() -> None:
    if LearningPath.objects.filter(title__in=[PATH_TITLE, *EARLIER_TITLES]).exists():
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
