"""Demo standards, promoted from demo stories by julien (run by `manage.py seed_demo` after the stories).

Safe to run again: a standard is skipped when its first source story is already promoted.
One standard is retired, one is due for review, one has a second, revised version.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from accounts.models import Notification, User
from practices.library.services import review_date, standard_retire, standard_update, story_promote
from practices.models import Promotion, Standard, StandardRevision
from stories.models import Pillar, Story

CURATOR = "julien"


@dataclass(frozen=True)
class DemoStandard:
    sources: tuple[str, ...]  # titles of demo stories; the first one becomes the standard
    language: str
    pillar: str
    title: str
    summary: str
    practice: str
    why: str
    tags: tuple[str, ...]
    days_ago: int
    note: str = ""
    retired: bool = False
    due_for_review: bool = False
    revision: dict = field(default_factory=dict)


STANDARDS = [
    DemoStandard(
        ("Rembourser une bouilloire qui ne venait pas de chez nous",),
        "fr",
        "take-charge",
        "Régler le problème du client, même s'il ne vient pas de chez nous",
        "Quand un client arrive avec un souci qui n'est pas le nôtre, on l'aide à le régler au lieu de le renvoyer.",
        "- Écouter jusqu'au bout avant de dire « ce n'est pas chez nous ».\n"
        "- Si le geste coûte peu (un échange, un petit remboursement, un appel), le faire sur place.\n"
        "- Sinon, trouver qui peut l'aider et lui donner le contact écrit.",
        "Le client se souvient de la façon dont on l'a traité bien plus que de l'objet. Un geste inattendu "
        "fait de nous le magasin dont il parle.",
        ("remboursement", "confiance"),
        300,
        "L'histoire que tout le monde raconte déjà aux nouveaux.",
    ),
    DemoStandard(
        ("A warden was writing tickets outside the shop",),
        "en",
        "take-charge",
        "Warn customers when their car is about to be ticketed",
        "If you see a traffic warden outside, tell the customers who parked there before the ticket is written.",
        "1. Keep an eye on the street from the till when it is quiet.\n"
        "2. Ask out loud, kindly: “Is anyone parked on the street?”\n"
        "3. Offer to hold their basket while they move the car.",
        "It costs us ten seconds and saves the customer a fine: they remember the shop that looked out for them.",
        ("parking", "street"),
        240,
    ),
    DemoStandard(
        ("Un dragon joueur de tennis sur le papier cadeau",),
        "fr",
        "be-positive",
        "Un petit dessin sur le paquet cadeau",
        "Quand un client raconte à qui est destiné le cadeau, un petit dessin sur le paquet le rend unique.",
        "Demander pour qui est le cadeau et ce que la personne aime, puis dessiner un motif simple au feutre sur "
        "le papier ou l'étiquette. Pas besoin de savoir dessiner : c'est l'attention qui compte.",
        "Une attention personnelle transforme un achat en souvenir, pour le client comme pour la personne qui "
        "reçoit le cadeau.",
        ("cadeau", "dessin"),
        120,
    ),
    DemoStandard(
        ("Des parapluies à prêter près de l'entrée",),
        "fr",
        "take-charge",
        "Prêter un parapluie les jours d'averse",
        "Garder quelques parapluies près de l'entrée et les prêter sans formalité quand il pleut.",
        "- Un porte-parapluies près de la porte, avec des parapluies au nom du magasin.\n"
        "- On le prête sans caution ni fiche : le client le rapportera à sa prochaine visite.\n"
        "- Compter les parapluies chaque lundi et en racheter si besoin.",
        "Les parapluies reviennent presque toujours, et avec eux des clients qui ont une bonne raison de repasser.",
        ("pluie", "prêt"),
        200,
        revision={
            "practice": "- Un porte-parapluies près de la porte, avec des parapluies au nom du magasin.\n"
            "- On le prête sans caution ni fiche : le client le rapportera à sa prochaine visite.\n"
            "- Proposer le parapluie avant que le client ne le demande, dès qu'il regarde la pluie.\n"
            "- Compter les parapluies chaque lundi et en racheter si besoin.",
            "change_note": "Le proposer avant qu'on le demande.",
            "days_ago": 30,
        },
    ),
    DemoStandard(
        ("Reading the labels for a customer without her glasses",),
        "en",
        "be-respectful",
        "Offer to read the small print aloud",
        "When a customer struggles with a label, offer to read it, quietly and without fuss.",
        "Notice the squint or the phone held at arm's length. Offer: “Shall I read it for you?” Read the "
        "ingredients, sizes or care instructions at a normal volume, and let them ask again.",
        "Being helped discreetly keeps a customer's dignity; being left to struggle sends them elsewhere.",
        ("accessibility", "labels"),
        150,
    ),
    DemoStandard(
        ("Servir une cliente malentendante sans la faire répéter",),
        "fr",
        "be-respectful",
        "Servir un client malentendant sans le faire répéter",
        "Se tourner vers lui, parler distinctement et proposer d'écrire, pour que l'échange reste naturel.",
        "- Se placer face au client, bien éclairé, sans masquer sa bouche.\n"
        "- Parler normalement, sans crier.\n"
        "- Garder un bloc et un stylo à la caisse et proposer d'écrire les informations importantes.",
        "Le client n'a pas à s'excuser de sa surdité : c'est à nous de rendre la conversation facile.",
        ("accessibilité", "écoute"),
        90,
    ),
    DemoStandard(
        ("We carry heavy bags to the car park", "Testé à Confluence : porter les sacs jusqu'à la voiture"),
        "en",
        "take-charge",
        "Carry heavy purchases to the car",
        "Offer to carry heavy or bulky bags to the customer's car, as two stores already do.",
        "When a purchase is heavy or the customer has their hands full, offer to carry it to the car park. Tell a "
        "colleague you are leaving the floor, and take the shortest safe route.",
        "Tried in Versailles and then in Lyon: customers with children, older customers and anyone on foot "
        "mention it in their reviews.",
        ("car park", "bags"),
        180,
        "Two stores already do it; time to make it our standard.",
    ),
    DemoStandard(
        ("Boots that split after thirteen months",),
        "en",
        "be-determined",
        "Judge a late complaint by the product, not the calendar",
        "A product that fails just after its guarantee is still our problem if it should have lasted.",
        "Look at the product and how it was used. If it should clearly have lasted longer, exchange or repair it "
        "and note it for the buyers. Call your manager only when you hesitate.",
        "The guarantee is a minimum, not a limit. A customer who leaves with a fair answer comes back.",
        ("guarantee", "after-sales"),
        270,
        revision={
            "practice": "Look at the product and how it was used. If it should clearly have lasted longer, "
            "exchange or repair it on the spot and record it in the returns log so the buyers see it. Call "
            "your manager only when you hesitate.",
            "change_note": "Record the case in the returns log.",
            "days_ago": 40,
        },
    ),
    DemoStandard(
        ("A bigger fitting room for a customer in a wheelchair",),
        "en",
        "be-respectful",
        "Keep one fitting room free for wheelchairs and prams",
        "One fitting room stays wide and clear so that every customer can try things on.",
        "Keep the widest fitting room free of stock and chairs. Show it without being asked when a customer in "
        "a wheelchair or with a pram comes in.",
        "Trying on is part of buying; a customer who cannot try on does not buy, and does not come back.",
        ("accessibility", "fitting room"),
        100,
    ),
    DemoStandard(
        ("Charging a phone so she could catch her train",),
        "en",
        "be-positive",
        "Lend a phone charger at the till",
        "Keep a charger with common cables at the till for customers whose phone is about to die.",
        "A multi-cable charger stays plugged in behind the till. Offer it with a chair if the customer has to "
        "wait, and never ask them to buy something first.",
        "A dead phone means a missed train, a lost ticket or a worried family: it is a small rescue people tell "
        "their friends about.",
        ("phone", "travel"),
        60,
    ),
    DemoStandard(
        ("Une carte écrite à la main dans les grosses commandes",),
        "fr",
        "take-charge",
        "Glisser un mot manuscrit dans les grosses commandes",
        "Ajouter une carte écrite à la main, signée par le vendeur, dans chaque commande importante.",
        "Pour toute commande de plus de 200 €, écrire deux lignes personnelles sur une carte du magasin et la "
        "signer de son prénom.",
        "Au début, les clients étaient touchés. Devenu systématique, le geste ne surprenait plus personne.",
        ("commande", "carte"),
        330,
        retired=True,
    ),
    DemoStandard(
        ("Rappeler une cliente sans qu'elle le demande",),
        "fr",
        "be-respectful",
        "Rappeler le client dès qu'on a la réponse",
        "Quand on n'a pas la réponse tout de suite, on prend le numéro du client et on le rappelle, sans "
        "attendre qu'il relance.",
        "- Noter le numéro et la question sur le cahier de rappels.\n"
        "- Rappeler dans la journée, même pour dire qu'on cherche encore.\n"
        "- Rayer la ligne une fois la réponse donnée.",
        "Un client qui n'a pas à relancer se sent pris au sérieux.",
        ("téléphone", "suivi"),
        400,
        due_for_review=True,
    ),
]


def seed() -> None:
    curator = User.objects.get(username=CURATOR)
    pillars = {pillar.slug: pillar for pillar in Pillar.objects.all()}
    now = timezone.now()
    for demo in STANDARDS:
        stories = [Story.objects.filter(title=title).first() for title in demo.sources]
        if any(story is None for story in stories) or Promotion.objects.filter(story=stories[0]).exists():
            continue
        first = story_promote(
            story=stories[0],
            curator=curator,
            note=demo.note,
            new_standard={
                "title": demo.title,
                "summary": demo.summary,
                "practice": demo.practice,
                "why": demo.why,
                "pillar": pillars.get(demo.pillar),
                "tags": list(demo.tags),
                "language": demo.language,
            },
        )
        standard = first.standard
        for story in stories[1:]:
            story_promote(story=story, curator=curator, standard=standard)
        _backdate(standard, now - timedelta(days=demo.days_ago))
        if demo.revision:
            _revise(standard, curator, demo, now)
        if demo.retired:
            standard_retire(standard=standard, editor=curator, reason=RETIRE_REASON)
        if demo.due_for_review:
            Standard.objects.filter(pk=standard.pk).update(review_at=timezone.localdate() - timedelta(days=3))


# Why the demo's retired standard was retired (it is French, so is the reason), as the decision log shows.
RETIRE_REASON = "Devenu systématique, le geste ne surprenait plus les clients."


def _backdate(standard: Standard, when) -> None:
    """Place the standard, its promotions and the authors' notifications at `when`."""
    Standard.objects.filter(pk=standard.pk).update(
        created_at=when, published_at=when, review_at=review_date(standard, timezone.localdate(when))
    )
    StandardRevision.objects.filter(standard=standard).update(created_at=when)
    Promotion.objects.filter(standard=standard).update(created_at=when)
    told = Notification.objects.filter(kind=Notification.Kind.PROMOTED, url=standard.get_absolute_url())
    told.update(created_at=when, read_at=when)


def _revise(standard: Standard, curator: User, demo: DemoStandard, now) -> None:
    revision = demo.revision
    standard.refresh_from_db()
    standard_update(
        standard=standard,
        editor=curator,
        title=standard.title,
        summary=standard.summary,
        practice=revision["practice"],
        why=standard.why,
        pillar=standard.pillar,
        tags=list(demo.tags),
        language=standard.language,
        change_note=revision["change_note"],
        material=True,
    )
    StandardRevision.objects.filter(standard=standard, number=2).update(
        created_at=now - timedelta(days=revision["days_ago"])
    )
