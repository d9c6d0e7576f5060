"""Fill the benchmark database with many published stories, fast.

Run by bench/run.py with the benchmark's environment (DATABASE_URL and the rest):

    python bench/load_data.py --stories 100000

Stories go in with bulk_create, about a third get two or three tags (taggit's
TaggedItem rows, also in bulk), and the database is analysed at the end so the
planner sees the real table sizes. Then --standards published standards (default
10,000), each promoted from a distinct story, for the library search.
Deterministic: the same --seed gives the same data.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from html import escape
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402
from taggit.models import Tag, TaggedItem  # noqa: E402

from accounts.models import Store, User  # noqa: E402
from config.text import search_text  # noqa: E402
from practices.library.services import standard_counts_update  # noqa: E402
from practices.models import Promotion, Standard, StandardRevision  # noqa: E402
from stories.models import Pillar, SearchWord, Story, hot_score, search_words  # noqa: E402

CHUNK = 5000
TWO_YEARS = 2 * 365 * 24 * 3600

PILLARS = [
    # slug, English, French
    ("be-positive", "Be positive", "Être positif"),
    ("be-determined", "Be determined", "Être déterminé"),
    ("take-charge", "Take charge", "Prendre les choses en main"),
    ("be-respectful", "Be respectful", "Être respectueux"),
]
TAGS = [
    "welcome",
    "repair",
    "gift-wrapping",
    "returns",
    "click-and-collect",
    "children",
    "accessibility",
    "tourists",
    "rain",
    "queue",
    "fitting-room",
    "delivery",
    "loyalty",
    "elderly",
    "lost-item",
    "wedding",
    "birthday",
    "phone-call",
    "out-of-stock",
    "closing-time",
]
KINDS = [(Story.Kind.STORY, 6), (Story.Kind.ATTENTION, 3), (Story.Kind.GUESTBOOK, 1)]

WORDS = {
    "en": {
        "openers": [
            "How we",
            "The day we",
            "A customer asked us to",
            "We managed to",
            "Small gesture:",
            "Thanks to the team, we",
        ],
        "subjects": [
            "found a coat in the right size across town",
            "kept the shop open five more minutes for a wedding",
            "wrapped a birthday gift in record time",
            "called back a customer who forgot her glasses",
            "lent an umbrella on a stormy afternoon",
            "repaired a zip while the customer waited",
            "delivered an order to a hospital room",
            "helped a tourist find the right train",
        ],
        "sentences": [
            "The customer came in just before closing and looked worried.",
            "We checked the stock of the other stores in the region.",
            "A colleague from the next store drove the item over at lunchtime.",
            "She told us it was for her daughter's first job interview.",
            "We offered a coffee while the alterations were done.",
            "He came back a week later just to say thank you.",
            "It took ten minutes and made the customer's day.",
            "Now we keep a small sewing kit behind the counter.",
            "The whole team signed a card for the customer.",
            "We wrote the customer's name on the board so everyone would remember.",
        ],
    },
    "fr": {
        "openers": [
            "Comment nous avons",
            "Le jour où nous avons",
            "Une cliente nous a demandé de",
            "Nous avons réussi à",
            "Petite attention :",
            "Grâce à l'équipe, nous avons",
        ],
        "subjects": [
            "trouvé un manteau à la bonne taille à l'autre bout de la ville",
            "gardé la boutique ouverte cinq minutes de plus pour un mariage",
            "emballé un cadeau d'anniversaire en un temps record",
            "rappelé une cliente qui avait oublié ses lunettes",
            "prêté un parapluie un après-midi d'orage",
            "réparé une fermeture éclair pendant que le client attendait",
            "livré une commande dans une chambre d'hôpital",
            "aidé un touriste à trouver le bon train",
        ],
        "sentences": [
            "La cliente est arrivée juste avant la fermeture, l'air inquiet.",
            "Nous avons vérifié le stock des autres magasins de la région.",
            "Une collègue du magasin voisin a apporté l'article à midi.",
            "Elle nous a dit que c'était pour le premier entretien de sa fille.",
            "Nous avons offert un café pendant la retouche.",
            "Il est revenu une semaine plus tard juste pour dire merci.",
            "Cela a pris dix minutes et a illuminé la journée du client.",
            "Depuis, nous gardons une petite trousse de couture derrière le comptoir.",
            "Toute l'équipe a signé une carte pour la cliente.",
            "Nous avons noté le prénom du client au tableau pour que tout le monde s'en souvienne.",
        ],
    },
}


def ensure_pillars() -> list[int]:
    if not Pillar.objects.exists():
        for order, (slug, name, name_fr) in enumerate(PILLARS):
            Pillar.objects.get_or_create(slug=slug, defaults={"name": name, "name_fr": name_fr, "order": order})
    return list(Pillar.objects.values_list("pk", flat=True))


def ensure_tags() -> list[int]:
    ids = []
    for name in TAGS:
        tag, _ = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        ids.append(tag.pk)
    return ids


def make_story(
    rng: random.Random, *, authors: list[tuple[int, int | None]], store_ids: list[int], pillar_ids: list[int], now
) -> Story:
    author_id, author_store_id = rng.choice(authors)
    kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
    store_id = rng.choice(store_ids) if kind == Story.Kind.GUESTBOOK else author_store_id
    language = "fr" if rng.random() < 0.5 else "en"
    words = WORDS[language]
    title = f"{rng.choice(words['openers'])} {rng.choice(words['subjects'])}"[:120]
    paragraphs = [" ".join(rng.sample(words["sentences"], rng.randint(2, 4))) for _ in range(rng.randint(1, 3))]
    published_at = now - timedelta(seconds=rng.uniform(0, TWO_YEARS))
    # Most stories get a handful of votes, a few get many: like a real feed.
    votes = min(int(rng.paretovariate(1.2)) - 1, 800)
    voter_stores = min(votes, rng.randint(1, len(store_ids))) if votes else 0
    tried = rng.randint(0, voter_stores) if voter_stores and rng.random() < 0.3 else 0
    return Story(
        author_id=author_id,
        store_id=store_id,
        kind=kind,
        title=title,
        body="\n\n".join(paragraphs),
        body_html="".join(f"<p>{escape(p)}</p>" for p in paragraphs),
        pillar_id=rng.choice(pillar_ids) if rng.random() < 0.8 else None,
        language=language,
        status=Story.Status.PUBLISHED,
        created_at=published_at,
        published_at=published_at,
        vote_count=votes,
        voter_store_count=voter_stores,
        tried_count=tried,
        comment_count=rng.randint(0, votes // 2 + 1),
        hot_score=hot_score(votes=votes, voter_stores=voter_stores, tried_stores=tried, published_at=published_at),
    )


def load(total: int, seed: int) -> None:
    rng = random.Random(seed)
    authors = list(User.objects.filter(is_active=True).values_list("pk", "store_id"))
    store_ids = list(Store.objects.values_list("pk", flat=True))
    if not authors or not store_ids:
        sys.exit("No people or stores: run `manage.py seed_demo` first.")
    pillar_ids = ensure_pillars()
    tag_ids = ensure_tags()
    tag_names = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
    story_type_id = ContentType.objects.get_for_model(Story).pk
    now = timezone.now()

    started = time.monotonic()
    tagged = 0
    for offset in range(0, total, CHUNK):
        size = min(CHUNK, total - offset)
        stories = [
            make_story(rng, authors=authors, store_ids=store_ids, pillar_ids=pillar_ids, now=now) for _ in range(size)
        ]
        story_tags = [rng.sample(tag_ids, rng.randint(1, 3)) if rng.random() < 1 / 3 else [] for _ in stories]
        words = set()
        for story, ids in zip(stories, story_tags, strict=True):
            story.search_document = story.build_search_document([tag_names[tag_id] for tag_id in ids])
            words |= search_words(story.search_document)
        with transaction.atomic():
            Story.objects.bulk_create(stories, batch_size=CHUNK)
            items = [
                TaggedItem(tag_id=tag_id, content_type_id=story_type_id, object_id=story.pk)
                for story, ids in zip(stories, story_tags, strict=True)
                for tag_id in ids
            ]
            TaggedItem.objects.bulk_create(items, batch_size=CHUNK)
            Story.objects.filter(pk__in=[story.pk for story in stories]).update_search_vectors()
            SearchWord.objects.bulk_create([SearchWord(word=w) for w in words], batch_size=CHUNK, ignore_conflicts=True)
        tagged += len(items)
        done = offset + size
        print(f"  {done:>8} stories  ({time.monotonic() - started:5.1f} s)", flush=True)

    with connection.cursor() as cursor:
        # VACUUM also sets the visibility map, as autovacuum would on a live site.
        cursor.execute("VACUUM ANALYZE")
    published = Story.objects.published().count()
    print(
        f"Loaded {total} stories and {tagged} tag links in {time.monotonic() - started:.1f} s;"
        f" {published} published stories in the database."
    )


def load_standards(total: int, seed: int) -> None:
    """Published standards (one in twenty retired), each promoted from a distinct story, in bulk."""
    rng = random.Random(seed + 1)
    owner = User.objects.filter(groups__name="Curators").order_by("pk").first() or User.objects.order_by("pk").first()
    pillar_ids = ensure_pillars()
    published = list(
        Story.objects.published().filter(promotion__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    story_ids = rng.sample(published, min(total, len(published)))
    now = timezone.now()
    started = time.monotonic()
    for offset in range(0, total, CHUNK):
        standards, words = [], set()
        for number in range(offset, min(offset + CHUNK, total)):
            language = "fr" if rng.random() < 0.5 else "en"
            vocabulary = WORDS[language]
            title = f"{rng.choice(vocabulary['subjects'])[:100]}".capitalize()
            summary = rng.choice(vocabulary["sentences"])
            practice = " ".join(rng.sample(vocabulary["sentences"], 3))
            why = rng.choice(vocabulary["sentences"])
            published_at = now - timedelta(seconds=rng.uniform(0, TWO_YEARS))
            retired = rng.random() < 0.05
            standard = Standard(
                title=title,
                slug=f"{slugify(title)[:120]}-{number}",
                summary=summary,
                practice=practice,
                practice_html=f"<p>{escape(practice)}</p>",
                why=why,
                why_html=f"<p>{escape(why)}</p>",
                pillar_id=rng.choice(pillar_ids),
                language=language,
                status=Standard.Status.RETIRED if retired else Standard.Status.PUBLISHED,
                owner=owner,
                revision=1,
                review_at=(published_at + timedelta(days=365)).date(),
                created_at=published_at,
                published_at=published_at,
                retired_at=now if retired else None,
                search_document=search_text(title, summary, practice, why),
            )
            words |= search_words(standard.search_document)
            standards.append(standard)
        with transaction.atomic():
            Standard.objects.bulk_create(standards, batch_size=CHUNK)
            Standard.objects.filter(pk__in=[standard.pk for standard in standards]).update_search_vectors()
            StandardRevision.objects.bulk_create(
                [
                    StandardRevision(
                        standard=standard,
                        number=1,
                        title=standard.title,
                        summary=standard.summary,
                        practice_html=standard.practice_html,
                        why_html=standard.why_html,
                        change_note="",
                        editor=owner,
                        created_at=standard.published_at,
                    )
                    for standard in standards
                ],
                batch_size=CHUNK,
            )
            Promotion.objects.bulk_create(
                [
                    Promotion(story_id=story_id, standard=standard, curator=owner, created_at=standard.published_at)
                    for standard, story_id in zip(standards, story_ids[offset:], strict=False)
                ],
                batch_size=CHUNK,
            )
            SearchWord.objects.bulk_create([SearchWord(word=w) for w in words], batch_size=CHUNK, ignore_conflicts=True)
    with connection.cursor() as cursor:
        # What practices' services keep on each source story (practices.library.services._sources_changed).
        cursor.execute(
            "UPDATE stories_story s SET standard_title = st.title, standard_slug = st.slug, standard_status = st.status"
            " FROM practices_promotion p JOIN practices_standard st ON st.id = p.standard_id WHERE p.story_id = s.id"
        )
    # The counters the library sorts on (practices.library.services.standard_counts_update), in one UPDATE.
    standard_counts_update(standards=Standard.objects.all())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Loaded {total} standards in {time.monotonic() - started:.1f} s.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--standards", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Refusing to load: DATABASE_URL does not point at PostgreSQL.")
    load(args.stories, args.seed)
    load_standards(args.standards, args.seed)


if __name__ == "__main__":
    main()
