"""Demo voice of the customer (run by `manage.py seed_demo` after the stories and standards). Safe to run again.

The demo pillars get their word lists (the data migration only finds pillars that already exist), then
a few hundred items over the last twelve weeks across the demo stores, in both languages, from every
source, each matched like an import; some are linked to the demo stories they are evidence for.
Items carry an external_id ("demo-<n>"), so a second run adds nothing.
"""

import random
from datetime import timedelta

from django.utils import timezone

from accounts.models import Store, User
from practices.models import Feedback, PillarWords, Standard
from practices.voice.importer import set_matches
from practices.voice.matching import Matcher
from practices.voice.services import customer_words_changed, standard_send
from practices.voice.words import DEMO_WORDS
from stories.models import Pillar, Story

ITEMS = 300
WEEKS = 12

# (language, text, rating on 10 or None)
SAYINGS = [
    ("fr", "Vingt minutes d'attente à la caisse, une seule caisse ouverte.", 2),
    ("fr", "Trop d'attente, personne pour nous renseigner.", 3),
    ("fr", "Le vendeur a réglé mon problème de remboursement tout de suite, merci !", 9),
    ("fr", "Accueil très chaleureux, un grand sourire dès l'entrée.", 10),
    ("fr", "La vendeuse a cherché ma taille dans les autres magasins et l'a commandée, bravo.", 9),
    ("fr", "Vendeur impoli et méprisant quand j'ai demandé un échange.", 1),
    ("fr", "Très patiente avec ma mère, à l'écoute et respectueuse.", 10),
    ("fr", "Article en rupture depuis un mois, aucune solution proposée.", 3),
    ("fr", "Magasin propre, rien à signaler.", 6),
    ("fr", "File d'attente interminable le samedi, c'est inacceptable.", 2),
    ("en", "Waited twenty minutes at the till, only one checkout open.", 2),
    ("en", "Nobody helped us, we left without buying.", 1),
    ("en", "They sorted my refund on the spot, thanks a lot!", 9),
    ("en", "Lovely welcome and a big smile, great staff.", 10),
    ("en", "She ordered my size from another store and called back the next day.", 9),
    ("en", "Rude staff, very disappointed.", 1),
    ("en", "So patient and polite with my father, thank you.", 10),
    ("en", "Out of stock again and no solution offered.", 3),
    ("en", "Fine visit, nothing special.", 6),
    ("en", "The queue was far too long on Saturday, unacceptable.", 2),
]
SOURCES = [source for source, _label in Feedback.Source.choices]


def seed() -> None:
    for pillar in Pillar.objects.filter(slug__in=DEMO_WORDS):
        for language, words in DEMO_WORDS[pillar.slug].items():
            PillarWords.objects.get_or_create(pillar=pillar, language=language, defaults={"words": words})
    stores = list(Store.objects.order_by("pk"))
    if not stores or Feedback.objects.filter(external_id__startswith="demo-").exists():
        return
    chance = random.Random(18)
    today = timezone.localdate()
    matcher = Matcher()
    items, matches = [], []
    for number in range(ITEMS):
        language, text, rating = chance.choice(SAYINGS)
        source = SOURCES[number % len(SOURCES)]
        if source == Feedback.Source.SOCIAL:
            rating = None
        match = matcher.match(text, rating)
        items.append(
            Feedback(
                date=today - timedelta(days=chance.randrange(WEEKS * 7)),
                store=chance.choice(stores),
                source=source,
                rating=rating,
                text=text,
                language=language,
                external_id=f"demo-{number}",
                sentiment=match.sentiment,
                reason=match.reason,
                pillar_scores={slug: chance.randrange(4, 11) for slug in DEMO_WORDS}
                if source == "mystery_shop"
                else {},
            )
        )
        matches.append(match)
    Feedback.objects.bulk_create(items)
    pairs = list(zip(items, matches, strict=True))
    set_matches(pairs, matcher, replace=[])
    # Some items are evidence for the demo stories of their pillar.
    for story in Story.objects.published().filter(pillar__isnull=False).order_by("pk")[:8]:
        about = [item for item, match in pairs if story.pillar_id in match.pillar_ids]
        for item in chance.sample(about, min(3, len(about))):
            item.stories.add(story)
        customer_words_changed(story_ids=[story.pk])
    send_a_standard(pairs)


def send_a_standard(pairs) -> None:
    """A curator sent a "take charge" standard to Paris Opéra because of a waiting complaint: camille has it to read."""
    store = Store.objects.filter(slug="paris-opera").first()
    curator = User.objects.filter(username="julien").first()
    standard = Standard.objects.published().filter(pillar__slug="take-charge").order_by("pk").first()
    complaint = next(
        (
            item
            for item, match in pairs
            if item.store_id == getattr(store, "pk", None)
            and item.sentiment == Feedback.Sentiment.COMPLAINT
            and standard is not None
            and standard.pillar_id in match.pillar_ids
        ),
        None,
    )
    if store and curator and complaint:
        standard_send(standard=standard, store=store, curator=curator, feedback=complaint)
