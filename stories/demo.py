"""Demo pillars, stories, petites attentions and guestbook entries (run by `manage.py seed_demo`).

Safe to run again: pillars are matched on their slug, and a story is skipped when its author
already has one with the same title. The ideas come from the articles in the design's sources,
retold as things that happened in the six demo stores. Vote counters stay at zero: real votes
are rows, and faking the counters would let them disagree with those rows.
"""

import functools
import io
import itertools
import math
import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from accounts.models import User
from stories.models import Comment, Pillar, Story, StoryPhoto, Tried, Vote, hot_score
from stories.photos import process_photo
from stories.services import comment_add, story_create, tried_record, vote_set

PILLARS = [
    # slug, English name, French name, English description, French description
    (
        "be-positive",
        "Be positive",
        "Soyez positif",
        "Welcome every customer warmly, look for the yes, and leave people in a better mood than you found them.",
        "Accueillir chaque client avec le sourire, chercher la solution plutôt que l'obstacle, "
        "et que chacun reparte de meilleure humeur.",
    ),
    (
        "be-determined",
        "Be determined",
        "Soyez déterminé",
        "See a request through to the end, even when it takes one more call, one more trip or one more idea.",
        "Aller au bout d'une demande, même quand il faut un appel, un détour ou une idée de plus.",
    ),
    (
        "take-charge",
        "Take charge",
        "Prenez les choses en main",
        "Spot the problem, make it yours and act on the spot: your best judgment beats waiting for permission.",
        "Repérer le problème, s'en charger et agir sur-le-champ : votre meilleur jugement plutôt "
        "qu'une autorisation qui tarde.",
    ),
    (
        "be-respectful",
        "Be respectful",
        "Soyez respectueux",
        "Give every customer and colleague courtesy and patience, whatever their request, their age or their hurry.",
        "Offrir à chaque client et à chaque collègue courtoisie et patience, quels que soient sa demande, "
        "son âge ou sa hâte.",
    ),
]


@dataclass(frozen=True)
class Picture:
    motif: str  # a key of MOTIFS
    background: str
    caption: str
    alt: str  # what the picture shows, in the story's language


@dataclass(frozen=True)
class DemoStory:
    author: str
    kind: str
    language: str
    pillar: str | None
    when: tuple[int, int, int]  # days ago, then the local hour and minute it was posted
    title: str
    body: str
    tags: tuple[str, ...]
    picture: Picture | None = None


STORY, ATTENTION, GUESTBOOK = Story.Kind.STORY, Story.Kind.ATTENTION, Story.Kind.GUESTBOOK

STORIES = [
    # Paris Opéra: camille, sarah
    DemoStory(
        "camille",
        STORY,
        "fr",
        "take-charge",
        (2, 15, 40),
        "Rembourser une bouilloire qui ne venait pas de chez nous",
        "Un monsieur est arrivé avec une bouilloire en panne, certain de l'avoir achetée chez nous il y a deux "
        "ans. En cherchant la référence, j'ai compris que nous n'avions jamais vendu ce modèle. Je n'avais pas "
        "envie de lui donner tort devant toute la file, et ma responsable m'a rappelé notre seule vraie règle : "
        "**faire ce que mon jugement me dit**. Je lui ai remboursé ses 34 €. Il est revenu samedi équiper toute "
        "sa cuisine chez nous.",
        ("remboursement", "fidélité"),
    ),
    DemoStory(
        "camille",
        ATTENTION,
        "fr",
        "be-positive",
        (0, 10, 5),
        "Un dragon joueur de tennis sur le papier cadeau",
        "Dans le champ « remarque » d'une commande à retirer en boutique, un client avait écrit pour rire : "
        "*dessinez-moi un dragon qui joue au tennis sur le paquet*. Nous n'avons ni tampon ni imprimante pour "
        "ça, alors j'ai pris un feutre pendant ma pause et je l'ai dessiné moi-même sur le papier kraft. En "
        "venant chercher son colis, il a photographié le paquet avant même de payer. Pas un chef-d'œuvre, "
        "mais exactement ce qu'il n'attendait pas.",
        ("emballage cadeau", "dessin"),
        Picture(
            "pencil_star",
            "#2e7d5b",
            "Un dragon au tennis ? Défi relevé",
            "Illustration : un crayon jaune posé en diagonale à côté d'une grande étoile orange, sur fond vert, "
            "avec la légende « Un dragon au tennis ? Défi relevé ».",
        ),
    ),
    DemoStory(
        "camille",
        STORY,
        "en",
        "take-charge",
        (9, 16, 20),
        "A warden was writing tickets outside the shop",
        "From the window I saw a parking warden working his way up the street, and a grey estate car was "
        "sitting on the delivery bay right outside our door. I went round the fitting rooms asking whose car "
        "it was: it belonged to a lady halfway through trying on three coats. She ran out, moved it to the car "
        "park on the corner and came back to finish. She said the fine would have cost more than the coat she "
        "bought. **Worth a glance out of the window now and then.**",
        ("parking",),
        Picture(
            "car",
            "#f2c14e",
            "Your car, madam?",
            "Illustration: a red car with two black wheels next to a blue parking sign marked P, on a yellow "
            "background, with the caption “Your car, madam?”.",
        ),
    ),
    DemoStory(
        "camille",
        GUESTBOOK,
        "fr",
        "be-respectful",
        (20, 11, 0),
        "Des tabourets pour ceux qui attendent",
        "Devant les cabines, les accompagnants restaient debout de longues minutes, un sac dans chaque main. "
        "Depuis deux semaines, nous avons installé :\n\n"
        "- deux tabourets près des cabines ;\n"
        "- une petite table pour poser les sacs ;\n"
        "- quelques magazines de la semaine.\n\n"
        "Les clientes prennent davantage leur temps pour essayer, et plus personne ne soupire en attendant.",
        ("cabines", "confort"),
    ),
    DemoStory(
        "camille",
        ATTENTION,
        "en",
        "be-positive",
        (40, 17, 10),
        "A good-luck note for a job interview",
        "A young man bought a white shirt for a job interview the next morning and looked very nervous. While "
        "I was folding it, I steamed out the creases and slipped in a little card saying *Good luck "
        "tomorrow!*. He came back ten days later for a second shirt: **he got the job**.",
        ("encouragement",),
    ),
    DemoStory(
        "sarah",
        GUESTBOOK,
        "en",
        None,
        (33, 18, 30),
        "Two ideas we borrowed from Annecy's guestbook",
        "This month the weekly swap brought us the Annecy Vieille Ville guestbook, and we tried two of their "
        "ideas straight away:\n\n"
        "1. a **handwritten thank-you card** slipped into large orders;\n"
        "2. a jug of water and paper cups at the till on hot days.\n\n"
        "Three customers mentioned the card on their next visit. Thanks, Lucas!",
        ("guestbook swap", "ideas"),
    ),
    DemoStory(
        "sarah",
        ATTENTION,
        "en",
        "be-respectful",
        (14, 15, 10),
        "Reading the labels for a customer without her glasses",
        "A regular customer in her eighties had left her glasses at home and could read neither the care "
        "labels nor the prices. I read them out for her, item by item, and she picked three jumpers. Before "
        "she left I wrote the references and sizes **in large letters** on the back of one of our cards, so "
        "her daughter could order the colour she had hesitated over. She said it was the first time in years "
        "that nobody had hurried her.",
        ("seniors", "accessibility"),
    ),
    DemoStory(
        "sarah",
        STORY,
        "fr",
        "be-determined",
        (22, 14, 20),
        "La commande perdue par le transporteur",
        "Une cliente attendait une commande en ligne depuis dix jours : le transporteur l'avait égarée et "
        "personne ne lui répondait. Plutôt que de la renvoyer vers le service en ligne, j'ai vérifié le stock, "
        "et tout était disponible chez nous. J'ai préparé les articles, **remboursé les frais de livraison**, "
        "et elle est repartie avec sa commande le jour même. J'ai ensuite signalé le cas pour que le colis "
        "perdu soit bien annulé.",
        ("livraison", "remboursement"),
    ),
    DemoStory(
        "sarah",
        GUESTBOOK,
        "fr",
        None,
        (49, 9, 0),
        "Les avis clients lus chaque lundi",
        "Chaque lundi, au brief du matin, nous lisons à voix haute les avis laissés en ligne sur la boutique "
        "pendant la semaine. Nous choisissons **une seule chose** à corriger le jour même, pas plus. Le mois "
        "dernier, c'était l'attente aux cabines, réglée en ajoutant un vendeur l'après-midi.",
        ("avis clients",),
    ),
    # Paris Marais: lea, ines
    DemoStory(
        "lea",
        STORY,
        "fr",
        "be-determined",
        (4, 17, 45),
        "Première semaine : le manteau introuvable",
        "Une cliente cherchait le manteau bleu marine en 40 pour un mariage le samedi, et nous n'en avions "
        "plus. Au lieu de lui dire de repasser, j'ai appelé les autres boutiques pendant qu'elle patientait : "
        "Sarah en avait un à l'Opéra. Inès l'a récupéré en venant travailler le lendemain, et la cliente l'a "
        "essayé à midi. Je suis nouvelle et je ne savais pas qu'on pouvait faire ça ; maintenant, je sais.",
        ("stock", "mariage"),
    ),
    DemoStory(
        "lea",
        GUESTBOOK,
        "fr",
        "be-respectful",
        (11, 12, 20),
        "Nous avons changé notre phrase d'accueil",
        "Les habitués nous ont fait comprendre, gentiment, que notre accueil récité par cœur les lassait. Nous "
        "avons remplacé le discours par une simple question : **« Vous savez déjà ce qu'il vous faut, ou je "
        "vous accompagne ? »** Les clients pressés vont droit au but, les autres se laissent guider. C'est le "
        "client qui choisit, et la boutique est plus détendue.",
        ("accueil", "habitués"),
    ),
    DemoStory(
        "lea",
        ATTENTION,
        "en",
        None,
        (0, 9, 30),
        "A sticker for a drawing",
        "We keep a roll of stickers at the till for children who wait patiently. This morning a little boy "
        "offered me a drawing of the shop in exchange for one. The drawing is now on the staff-room wall, and "
        "he left with **two** stickers.",
        ("enfants", "dessin"),
    ),
    DemoStory(
        "ines",
        GUESTBOOK,
        "fr",
        "take-charge",
        (26, 9, 50),
        "Des parapluies à prêter près de l'entrée",
        "Quand l'averse tombe, les clients hésitent à sortir avec leurs sacs en papier. Nous avons mis une "
        "douzaine de parapluies au nom de la boutique dans un seau près de la porte, prêtés sans formulaire ni "
        "caution. Bilan après un mois :\n\n"
        "- **dix** sont revenus ;\n"
        "- deux ont disparu, ce qui coûte moins cher qu'une publicité ;\n"
        "- plusieurs clients ont acheté quelque chose en venant les rendre.",
        ("pluie", "prêt"),
        Picture(
            "umbrellas",
            "#34495e",
            "Parapluies en prêt, servez-vous",
            "Illustration : trois parapluies ouverts, rouge, jaune et vert, sous des gouttes de pluie, sur fond "
            "bleu-gris, avec la légende « Parapluies en prêt, servez-vous ».",
        ),
    ),
    DemoStory(
        "ines",
        ATTENTION,
        "en",
        "be-positive",
        (1, 16, 30),
        "A birthday badge at the till",
        "A little girl was waiting in the queue with her dad, wearing a big badge that said *7 ans*. I told my "
        "colleagues quietly, and when she reached the till the three of us sang happy birthday, slightly out "
        "of tune. We made her a crown out of gold gift-wrapping paper while her dad paid. She wore it all the "
        "way out of the shop.",
        ("enfants", "anniversaire"),
        Picture(
            "cake",
            "#8e44ad",
            "Joyeux anniversaire !",
            "Illustration: a pink two-layer birthday cake with seven lit candles on a purple background, with "
            "the caption “Joyeux anniversaire !”.",
        ),
    ),
    DemoStory(
        "ines",
        STORY,
        "fr",
        "be-respectful",
        (47, 14, 0),
        "Servir une cliente malentendante sans la faire répéter",
        "Une cliente m'a fait signe qu'elle entendait très mal, et le bruit de la boutique n'arrangeait rien. "
        "J'ai pris la tablette de la caisse, ouvert une note, et nous avons échangé par écrit en prenant notre "
        "temps. Elle a trouvé ce qu'elle cherchait et m'a confié que, d'habitude, on se contente de lui parler "
        "plus fort. **Depuis, un bloc et un stylo attendent à chaque caisse.**",
        ("accessibilité",),
    ),
    DemoStory(
        "ines",
        STORY,
        "en",
        "be-determined",
        (35, 11, 15),
        "A lid for a teapot we no longer sell",
        "A customer had broken the lid of a teapot she bought from us years ago, and the model had been "
        "discontinued. I asked our buyer for the supplier's contact and explained the situation. They found a "
        "spare lid in their warehouse and sent it to the shop free of charge. She uses the teapot every day "
        "and tells everyone where the new lid came from.",
        ("service après-vente",),
    ),
    # Versailles Parly: theo
    DemoStory(
        "theo",
        GUESTBOOK,
        "fr",
        "be-determined",
        (7, 10, 15),
        "Notre livre d'or est parti à Lyon",
        "Cette semaine, notre livre d'or voyage jusqu'à Lyon Confluence et nous avons reçu le leur. Deux "
        "choses qu'on essaie dès samedi :\n\n"
        "- un coin calme avec des coloriages pour les enfants, près des cabines ;\n"
        "- noter aussi dans le livre les remarques des clients, pas seulement nos idées.\n\n"
        "Ils butent sur les mêmes petits problèmes que nous : lire leurs solutions nous fait gagner des mois.",
        ("échange de livres d'or",),
        Picture(
            "book",
            "#c0392b",
            "Échange de livres d'or",
            "Illustration : un livre ouvert aux pages lignées, sur fond rouge, avec la légende « Échange de "
            "livres d'or ».",
        ),
    ),
    DemoStory(
        "theo",
        GUESTBOOK,
        "en",
        "take-charge",
        (38, 17, 0),
        "We carry heavy bags to the car park",
        "The car park is a long walk from our shop in the mall. We now offer to carry bags to the car for "
        "anyone with a pushchair, crutches or simply too much to hold. It takes five minutes while a colleague "
        "covers the floor, and people remember it. **Offer, don't insist**: some customers prefer to manage on "
        "their own.",
        ("parking", "portage"),
    ),
    DemoStory(
        "theo",
        STORY,
        "fr",
        "take-charge",
        (17, 13, 25),
        "La carte bancaire oubliée à la caisse",
        "Une cliente est partie en laissant sa carte dans le terminal. Son nom figurait sur son compte "
        "fidélité : je l'ai appelée, et elle était encore dans le centre commercial, à la terrasse d'un café. "
        "Je lui ai rapporté la carte en main propre plutôt que de la laisser s'inquiéter jusqu'au soir. Elle "
        "ne s'était même pas aperçue de sa perte.",
        ("fidélité", "objet trouvé"),
    ),
    DemoStory(
        "theo",
        ATTENTION,
        "en",
        "be-positive",
        (55, 11, 40),
        "Charging a phone so she could catch her train",
        "A customer's phone died just as she was leaving, and her train ticket was on it. We plugged it in "
        "behind the till with our own charger and offered her a seat while it came back to life. Ten minutes "
        "later she had her ticket on screen and enough battery for the journey.",
        ("téléphone", "dépannage"),
    ),
    DemoStory(
        "theo",
        STORY,
        "en",
        "take-charge",
        (52, 16, 45),
        "When the card terminal went down on a Saturday",
        "Our card terminal stopped working at three in the afternoon on a busy Saturday. I put a sign at the "
        "entrance so that nobody queued for nothing, and we offered to:\n\n"
        "- keep items aside until the evening;\n"
        "- take the order and **deliver it free of charge** once payments worked again;\n"
        "- show people the way to the nearest cash machine.\n\n"
        "We lost far fewer sales than I feared, and nobody left annoyed.",
        ("caisse", "panne"),
    ),
    DemoStory(
        "theo",
        ATTENTION,
        "fr",
        "be-positive",
        (10, 14, 50),
        "Emballer un cadeau acheté ailleurs",
        "Une cliente avait trouvé le cadeau de son neveu dans une autre boutique du centre, qui ne faisait pas "
        "de paquets. Un peu gênée, elle nous a demandé si nous pouvions l'emballer quand même. Nous l'avons "
        "fait avec notre plus beau papier, sans rien demander en retour. Elle est revenue une heure plus tard "
        "s'offrir un pull.",
        ("emballage cadeau",),
    ),
    # Lyon Bellecour: hugo, julien
    DemoStory(
        "hugo",
        STORY,
        "fr",
        "take-charge",
        (0, 11, 45),
        "Une roue de valise changée pendant un café",
        "Un couple est arrivé de la gare avec une valise achetée chez nous, une roulette arrachée sur les pavés. "
        "Nous avions des roulettes de rechange à l'atelier : je leur ai proposé un café au comptoir pendant que "
        "je faisais la réparation. **Vingt minutes plus tard**, la valise roulait de nouveau et ils avaient eu "
        "le temps de finir leur croissant. Ils partaient en vacances le soir même.",
        ("réparation", "café"),
        Picture(
            "coffee",
            "#6d4c41",
            "Un café pendant la réparation",
            "Illustration : une tasse de café blanche et fumante posée sur sa soucoupe, sur fond marron, avec la "
            "légende « Un café pendant la réparation ».",
        ),
    ),
    DemoStory(
        "hugo",
        ATTENTION,
        "en",
        "be-positive",
        (3, 18, 50),
        "My umbrella went home with a customer",
        "It started pouring just as a customer was leaving with a new wool coat in a paper bag. I fetched my "
        "own umbrella from the staff room and lent it to her. She brought it back the next morning with a box "
        "of pralines for the team. The coat stayed dry, and so did she.",
        ("pluie",),
        Picture(
            "umbrella",
            "#1f4e79",
            "Rain? Take my umbrella",
            "Illustration: an open red umbrella with a curved handle under falling raindrops, on a dark blue "
            "background, with the caption “Rain? Take my umbrella”.",
        ),
    ),
    DemoStory(
        "hugo",
        STORY,
        "en",
        "be-determined",
        (24, 15, 5),
        "Boots that split after thirteen months",
        "A customer brought back boots whose sole had split just over a year after she bought them, so outside "
        "the guarantee. Looking closely, it was plainly a manufacturing fault, not wear. I exchanged them on the "
        "spot instead of sending her away with a form, and sent photos to our buyer so the supplier would hear "
        "about it. **Two more pairs with the same fault came back the following week**, and the buyer already "
        "had the file.",
        ("remboursement", "garantie"),
    ),
    DemoStory(
        "hugo",
        GUESTBOOK,
        "fr",
        "be-positive",
        (41, 9, 10),
        "Dire bonjour à l'équipe, vraiment",
        "Julien fait le tour de la boutique chaque matin pour saluer chacun, même les jours de livraison. Nous "
        "avons remarqué que ces jours-là, nous disons bonjour aux clients plus naturellement. Alors nous nous y "
        "mettons tous : **personne ne commence sa journée sans avoir salué ses collègues**. Ça paraît évident, "
        "mais l'humeur de la boutique s'en ressent.",
        ("équipe", "accueil"),
    ),
    DemoStory(
        "hugo",
        ATTENTION,
        "fr",
        "be-respectful",
        (31, 12, 40),
        "Une chaise et un verre d'eau dans la file d'attente",
        "Un samedi, une cliente enceinte s'est sentie mal dans la file de la caisse. Je lui ai apporté une "
        "chaise et un verre d'eau, puis j'ai demandé aux personnes devant elle si elle pouvait passer en "
        "premier. Tout le monde a accepté sans hésiter. Elle est repartie assise dans un taxi que nous avions "
        "appelé pour elle.",
        ("file d'attente", "accueil"),
    ),
    DemoStory(
        "julien",
        STORY,
        "en",
        "take-charge",
        (1, 19, 0),
        "What I tell new hires on their first morning",
        "I give them one rule: **use your best judgment, whatever happens**, and there is no rule number two. "
        "Then, instead of a binder of procedures, I show them three stories from this feed: the refunded "
        "kettle, the parking warden and the boots that split. People remember stories far better than rules. "
        "After a month, I ask them to post one of their own.",
        ("formation", "nouveaux"),
    ),
    DemoStory(
        "julien",
        GUESTBOOK,
        "fr",
        "be-determined",
        (29, 8, 30),
        "Ce que le client mystère nous a appris",
        "Le client mystère est passé le mois dernier et son compte rendu est arrivé. Bien noté : l'accueil et la "
        "propreté des cabines. À travailler :\n\n"
        "- proposer une autre piste quand la taille manque ;\n"
        "- **raccompagner** jusqu'à la porte au lieu de dire au revoir depuis la caisse.\n\n"
        "Et nous n'attendrons pas sa prochaine visite : chacun demande directement aux clients, en caisse, ce "
        "qui leur a manqué aujourd'hui.",
        ("client mystère", "avis clients"),
    ),
    DemoStory(
        "julien",
        ATTENTION,
        "fr",
        "be-respectful",
        (58, 16, 15),
        "Rappeler une cliente sans qu'elle le demande",
        "Une cliente m'avait téléphoné, inquiète, pour une commande livrée en retard. Deux jours après la "
        "livraison, je l'ai rappelée de moi-même pour vérifier que tout était arrivé en bon état. Elle n'en "
        "revenait pas : jamais un magasin ne l'avait recontactée sans qu'elle relance. Trois minutes au "
        "téléphone, et une cliente qui en parle encore.",
        ("téléphone", "suivi"),
    ),
    # Lyon Confluence: manon
    DemoStory(
        "manon",
        GUESTBOOK,
        "fr",
        "be-positive",
        (6, 18, 40),
        "Testé à Confluence : porter les sacs jusqu'à la voiture",
        "Dans le livre d'or de Versailles Parly, Théo raconte qu'ils proposent de porter les sacs jusqu'au "
        "parking. Nous avons essayé samedi dernier : **six clients ont accepté**, dont une maman avec des "
        "jumeaux en poussette. Notre parking souterrain est loin des escalators, l'idée tombe donc à pic ici "
        "aussi.",
        ("échange de livres d'or", "parking"),
    ),
    DemoStory(
        "manon",
        GUESTBOOK,
        "en",
        "be-respectful",
        (36, 13, 20),
        "A quiet corner for tired children",
        "We set up a small corner next to the fitting rooms with a rug, colouring sheets and a box of crayons. "
        "Parents can try things on without keeping one eye on the door, and children have something to do "
        "besides asking to go home. The drawings they leave behind end up pinned on our staff-room wall.",
        ("enfants", "cabines"),
    ),
    DemoStory(
        "manon",
        STORY,
        "fr",
        "be-determined",
        (15, 19, 25),
        "Le cadeau acheté cinq minutes avant la fermeture",
        "Un jeune homme est entré en courant à 19 h 55 : l'anniversaire de sa sœur tombait le lendemain matin "
        "et il n'avait rien. Plutôt que de baisser la grille, nous avons pris le temps de l'aider à choisir une "
        "écharpe, puis de faire un vrai paquet avec une carte. Nous avons fermé dix minutes plus tard que prévu. "
        "Il est revenu la semaine suivante avec sa sœur, qui voulait le bonnet assorti.",
        ("emballage cadeau", "fermeture"),
        Picture(
            "gift",
            "#16a085",
            "Paquet cadeau de dernière minute",
            "Illustration : un paquet cadeau bleu entouré d'un ruban jaune noué, sur fond vert d'eau, avec la "
            "légende « Paquet cadeau de dernière minute ».",
        ),
    ),
    DemoStory(
        "manon",
        ATTENTION,
        "en",
        "be-positive",
        (50, 10, 30),
        "A water bowl for dogs at the door",
        "On hot days, lots of customers walk along the river with their dogs and leave them tied up outside. "
        "We now put a bowl of fresh water by the entrance every morning. Owners stop to thank us, and some come "
        "in who would otherwise have walked straight past.",
        ("animaux", "chaleur"),
    ),
    DemoStory(
        "manon",
        STORY,
        "en",
        "be-respectful",
        (45, 15, 50),
        "A bigger fitting room for a customer in a wheelchair",
        "A customer in a wheelchair could not turn around in our fitting rooms. I opened the large stockroom at "
        "the back, cleared a corner, propped up a mirror and brought her the items she wanted to try. She took "
        "her time and chose two dresses. **We have since asked for an accessible fitting room in the next "
        "refit.**",
        ("accessibilité", "cabines"),
    ),
    # Annecy Vieille Ville: lucas
    DemoStory(
        "lucas",
        GUESTBOOK,
        "fr",
        "take-charge",
        (52, 17, 50),
        "Une carte écrite à la main dans les grosses commandes",
        "Dans chaque commande importante, nous glissons une carte écrite à la main : un merci, le prénom du "
        "vendeur et un conseil d'entretien pour l'article. Cela prend une minute. Plusieurs clients nous en "
        "parlent à leur visite suivante, et certains l'ont aimantée sur leur frigo.",
        ("fidélité", "remerciement"),
    ),
    DemoStory(
        "lucas",
        GUESTBOOK,
        "en",
        "be-positive",
        (44, 12, 0),
        "A water jug at the till for summer visitors",
        "Our shop sits on the walking route round the old town, and in summer visitors come in hot and "
        "thirsty. We keep a jug of cold water and paper cups on the counter, free for anyone. **People stay "
        "longer and browse more calmly** when they are not desperate for a drink.",
        ("tourisme", "chaleur"),
    ),
    DemoStory(
        "lucas",
        STORY,
        "en",
        "take-charge",
        (19, 16, 0),
        "Glasses left in the fitting room, posted to Belgium",
        "After closing I found a pair of prescription glasses in a fitting room. The customer had paid with her "
        "loyalty card, so we had her address: she had been here on holiday and was back home in Liège by then. "
        "I called her, and we posted them the next day with a short note, at the shop's expense. She sent us a "
        "postcard of Liège, which now hangs next to the till.",
        ("objet trouvé", "tourisme"),
    ),
    DemoStory(
        "lucas",
        ATTENTION,
        "fr",
        "be-respectful",
        (27, 15, 35),
        "Un plan du vieil Annecy dessiné sur un sac",
        "Un couple de touristes m'a demandé où manger loin de la foule. J'ai dessiné un petit plan au dos d'un "
        "sac en papier, avec mes trois adresses préférées et le chemin le long du canal. Ils sont repassés le "
        "lendemain pour me dire laquelle ils avaient préférée.",
        ("tourisme", "dessin"),
        Picture(
            "map",
            "#4a7c59",
            "Mes trois adresses",
            "Illustration : un plan beige plié en trois volets, avec un lac bleu, un chemin en pointillés et une "
            "épingle rouge, sur fond vert, avec la légende « Mes trois adresses ».",
        ),
    ),
    DemoStory(
        "lucas",
        STORY,
        "fr",
        "take-charge",
        (56, 11, 20),
        "On ne vend pas de pneus, mais on a une pompe",
        "Un cycliste a crevé juste devant la boutique et nous a demandé, sans trop y croire, si nous avions une "
        "pompe. Nous ne vendons rien pour le vélo, mais j'ai sorti mon propre kit de réparation de "
        "l'arrière-boutique et nous avons réparé la chambre à air ensemble sur le trottoir. Il est revenu le "
        "soir même acheter une veste de pluie, « pour remercier la maison ».",
        ("vélo", "dépannage"),
        Picture(
            "wheel",
            "#e67e22",
            "Crevaison réparée",
            "Illustration : une roue de vélo noire à rayons gris, sur fond orange, avec la légende « Crevaison "
            "réparée ».",
        ),
    ),
]


def seed() -> None:
    pillars = {}
    for order, (slug, name, name_fr, description, description_fr) in enumerate(PILLARS, start=1):
        pillars[slug], _ = Pillar.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_fr": name_fr,
                "description": description,
                "description_fr": description_fr,
                "order": order,
            },
        )

    people = User.objects.in_bulk({story.author for story in STORIES}, field_name="username")
    now = timezone.now()
    created = []
    for index, demo in enumerate(STORIES):
        author = people[demo.author]
        if Story.objects.filter(author=author, title=demo.title).exists():
            continue
        photos = [process_photo(_picture_upload(demo.picture))] if demo.picture else []
        story = story_create(
            author=author,
            kind=demo.kind,
            title=demo.title,
            body=demo.body,
            pillar=pillars[demo.pillar] if demo.pillar else None,
            tags=list(demo.tags),
            language=demo.language,
            photos=photos,
            photo_alt=demo.picture.alt if demo.picture else "",
        )
        when = _posted_at(now, demo.when, index)
        score = hot_score(votes=0, voter_stores=0, tried_stores=0, published_at=when)
        Story.objects.filter(pk=story.pk).update(published_at=when, created_at=when, updated_at=when, hot_score=score)
        StoryPhoto.objects.filter(story=story).update(created_at=when)
        created.append(story.pk)
    _reactions(created, now)


REACTION_COMMENTS = {
    "fr": ["Bravo, on essaie la semaine prochaine !", "Très bonne idée.", "Merci pour le partage."],
    "en": ["Great idea, we will try it next week!", "Love this.", "Thanks for sharing."],
}


def _reactions(story_pks: list[int], now: datetime) -> None:
    """Votes, comments and "we tried it" from other stores on the stories just seeded (issue 16).

    The same every time (a fixed random seed); fresher stories get more, so Trending and Top this
    week differ; the dates follow each story's own date, within the last twelve weeks.
    """
    rng = random.Random(16)
    staff = list(User.objects.filter(is_active=True, store__isnull=False).select_related("store"))
    for story in Story.objects.filter(pk__in=story_pks).order_by("published_at"):
        others = [person for person in staff if person.store_id != story.store_id and person.pk != story.author_id]
        if not others:
            continue
        fresh = story.published_at > now - timedelta(days=7)
        for person in rng.sample(others, min(len(others), rng.randint(0, 3 if fresh else 8))):
            vote_set(user=person, story=story, voted=True)
        for person in rng.sample(others, min(len(others), rng.randint(0, 2))):
            comment_add(author=person, story=story, body=rng.choice(REACTION_COMMENTS[story.language or "en"]))
        if story.kind != Story.Kind.GUESTBOOK:
            tried_stores = set()
            for person in rng.sample(others, min(len(others), rng.randint(0, 3))):
                if person.store_id not in tried_stores:
                    tried_stores.add(person.store_id)
                    tried_record(user=person, story=story)
        later = min(now, story.published_at + timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 9)))
        Vote.objects.filter(story=story).update(created_at=later)
        Comment.objects.filter(story=story).update(created_at=later)
        Tried.objects.filter(story=story).update(created_at=later)


def _posted_at(now: datetime, when: tuple[int, int, int], index: int) -> datetime:
    """`days` ago at a shop-floor time of day, local time; never in the future."""
    days, hour, minute = when
    local = timezone.localtime(now)
    posted = local.replace(hour=hour, minute=minute, second=0, microsecond=0) - timedelta(days=days)
    if posted > now - timedelta(minutes=5):
        # That hour has not come yet today: post it a little before now (a distinct time per story).
        posted = now - timedelta(minutes=20 + 9 * index)
    return posted


# Pictures: a coloured background, one simple drawing and a caption band, made in a few milliseconds.
WIDTH, HEIGHT = 1200, 900
BAND_TOP = 770
INK = "#222222"


def _picture_upload(picture: Picture) -> SimpleUploadedFile:
    image = Image.new("RGB", (WIDTH, HEIGHT), picture.background)
    draw = ImageDraw.Draw(image)
    MOTIFS[picture.motif](draw, picture.background)
    draw.rectangle((0, BAND_TOP, WIDTH, HEIGHT), fill="white")
    font, caption = _caption_font(), picture.caption
    if font is None:
        # Pillow's built-in font has no accented letters: write "Defi releve" rather than empty boxes.
        font = ImageFont.load_default(size=60)
        caption = "".join(c for c in unicodedata.normalize("NFKD", caption) if not unicodedata.combining(c))
    draw.text((WIDTH / 2, (BAND_TOP + HEIGHT) / 2), caption, fill=INK, font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")


@functools.cache
def _caption_font() -> ImageFont.FreeTypeFont | None:
    """A system font that has French accents (Pillow looks in the usual font folders), if any."""
    for name in ["DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf", "Helvetica.ttc"]:
        try:
            return ImageFont.truetype(name, 56)
        except OSError:
            continue
    return None


def _umbrella(draw: ImageDraw.ImageDraw, cx: float, top: float, width: float, colour: str) -> None:
    half = width / 2
    draw.pieslice((cx - half, top, cx + half, top + width), 180, 360, fill=colour)
    shaft = max(int(width / 40), 6)
    draw.line((cx, top + half, cx, top + width * 0.95), fill=INK, width=shaft)
    hook = width * 0.12
    draw.arc((cx - 2 * hook, top + width * 0.95 - hook, cx, top + width * 0.95 + hook), 0, 180, fill=INK, width=shaft)


def _rain(draw: ImageDraw.ImageDraw, drops: list[tuple[int, int]]) -> None:
    for x, y in drops:
        draw.line((x, y, x - 14, y + 40), fill="#a9d6f5", width=6)


def _draw_umbrella(draw: ImageDraw.ImageDraw, background: str) -> None:
    _rain(draw, [(120 + 95 * i, 60 + (i * 137) % 160) for i in range(12)])
    _umbrella(draw, 600, 200, 560, "#d62828")


def _draw_umbrellas(draw: ImageDraw.ImageDraw, background: str) -> None:
    _rain(draw, [(100 + 105 * i, 40 + (i * 89) % 120) for i in range(11)])
    for cx, colour in [(260, "#d62828"), (600, "#f6c000"), (940, "#2a9d4b")]:
        _umbrella(draw, cx, 260, 300, colour)


def _draw_car(draw: ImageDraw.ImageDraw, background: str) -> None:
    draw.rectangle((110, 180, 250, 320), fill="#1d5fbf")
    font = ImageFont.load_default(size=110)
    draw.text((180, 250), "P", fill="white", font=font, anchor="mm")
    draw.line((180, 320, 180, 700), fill="#555555", width=14)
    draw.polygon([(470, 400), (540, 290), (800, 290), (880, 400)], fill="#b81d24")
    draw.polygon([(500, 395), (555, 310), (660, 310), (660, 395)], fill="#cfe8ff")
    draw.polygon([(680, 395), (680, 310), (785, 310), (845, 395)], fill="#cfe8ff")
    draw.rounded_rectangle((360, 390, 1040, 560), radius=40, fill="#d62828")
    for x in (490, 910):
        draw.ellipse((x - 75, 485, x + 75, 635), fill=INK)
        draw.ellipse((x - 30, 530, x + 30, 590), fill="#bbbbbb")


def _draw_cake(draw: ImageDraw.ImageDraw, background: str) -> None:
    draw.rounded_rectangle((330, 470, 870, 680), radius=20, fill="#f7a1c4")
    draw.rounded_rectangle((420, 340, 780, 480), radius=20, fill="#fbc9dd")
    draw.rectangle((330, 530, 870, 555), fill="white")
    for i in range(7):
        x = 450 + i * 50
        draw.rectangle((x - 8, 250, x + 8, 340), fill="#fff3b0")
        draw.ellipse((x - 14, 205, x + 14, 250), fill="#ffb703")


def _draw_book(draw: ImageDraw.ImageDraw, background: str) -> None:
    draw.polygon([(190, 210), (600, 250), (1010, 210), (1010, 660), (600, 700), (190, 660)], fill="#5a1a12")
    draw.polygon([(220, 190), (590, 230), (590, 670), (220, 630)], fill="#fdf6e3")
    draw.polygon([(610, 230), (980, 190), (980, 630), (610, 670)], fill="#fdf6e3")
    for i in range(1, 9):
        y = 230 + i * 45
        draw.line((260, y - 4, 560, y + 28), fill="#9db4c0", width=4)
        draw.line((640, y + 28, 940, y - 4), fill="#9db4c0", width=4)


def _draw_coffee(draw: ImageDraw.ImageDraw, background: str) -> None:
    draw.ellipse((330, 600, 870, 680), fill="#f5f5f5")
    draw.arc((680, 420, 820, 560), 270, 90, fill="white", width=26)
    draw.rounded_rectangle((420, 380, 740, 640), radius=50, fill="white")
    draw.ellipse((440, 370, 720, 410), fill="#4e342e")
    for x in (500, 580, 660):
        draw.arc((x - 30, 180, x + 30, 260), 90, 270, fill="#efebe9", width=10)
        draw.arc((x - 30, 260, x + 30, 340), 270, 90, fill="#efebe9", width=10)


def _draw_gift(draw: ImageDraw.ImageDraw, background: str) -> None:
    draw.rectangle((380, 360, 820, 680), fill="#1f6fb2")
    draw.rectangle((350, 300, 850, 380), fill="#2a85d0")
    draw.rectangle((575, 300, 625, 680), fill="#ffd23f")
    draw.rectangle((350, 320, 850, 360), fill="#ffd23f")
    draw.ellipse((470, 200, 600, 300), outline="#ffd23f", width=22)
    draw.ellipse((600, 200, 730, 300), outline="#ffd23f", width=22)


def _draw_pencil_star(draw: ImageDraw.ImageDraw, background: str) -> None:
    cx, cy, outer, inner = 800, 360, 230, 95
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill="#ff8c1a")
    draw.polygon([(180, 560), (520, 220), (590, 290), (250, 630)], fill="#ffd23f")
    draw.polygon([(520, 220), (560, 180), (630, 250), (590, 290)], fill="#f4a6b8")
    draw.polygon([(180, 560), (250, 630), (140, 670)], fill="#f1d2a5")
    draw.polygon([(160, 625), (180, 645), (140, 670)], fill=INK)


def _draw_map(draw: ImageDraw.ImageDraw, background: str) -> None:
    for i, shade in enumerate(["#efe3c8", "#e4d5b5", "#efe3c8"]):
        left, right = 200 + i * 270, 470 + i * 270
        high, low = 30 * (i % 2), 30 * ((i + 1) % 2)  # panels tilt in turn, like a folded leaflet
        draw.polygon([(left, 160 + high), (right, 160 + low), (right, 700 - high), (left, 700 - low)], fill=shade)
    draw.ellipse((620, 230, 960, 450), fill="#5dade2")
    path = [(260, 640), (360, 560), (460, 590), (560, 500), (600, 420), (560, 330)]
    for (x1, y1), (x2, y2) in itertools.pairwise(path):
        for step in range(0, 10, 2):
            a, b = step / 10, (step + 1) / 10
            draw.line(
                (x1 + (x2 - x1) * a, y1 + (y2 - y1) * a, x1 + (x2 - x1) * b, y1 + (y2 - y1) * b), fill=INK, width=8
            )
    draw.polygon([(535, 280), (585, 280), (560, 335)], fill="#c62828")
    draw.ellipse((525, 220, 595, 290), fill="#e53935")


def _draw_wheel(draw: ImageDraw.ImageDraw, background: str) -> None:
    cx, cy, radius = 600, 390, 300
    for i in range(18):
        angle = i * math.pi / 9
        draw.line((cx, cy, cx + radius * math.cos(angle), cy + radius * math.sin(angle)), fill="#9e9e9e", width=5)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=INK, width=40)
    draw.ellipse((cx - radius + 40, cy - radius + 40, cx + radius - 40, cy + radius - 40), outline="#616161", width=8)
    draw.ellipse((cx - 35, cy - 35, cx + 35, cy + 35), fill="#424242")


MOTIFS = {
    "umbrella": _draw_umbrella,
    "umbrellas": _draw_umbrellas,
    "car": _draw_car,
    "cake": _draw_cake,
    "book": _draw_book,
    "coffee": _draw_coffee,
    "gift": _draw_gift,
    "pencil_star": _draw_pencil_star,
    "map": _draw_map,
    "wheel": _draw_wheel,
}
