"""The demo pillars' first word lists (English and French), which the data migration and the demo load.

Curators edit them in the admin afterwards (practices.PillarWords): this is a starting point, not code
that matching reads. Sentiment words are the same kind of starting point, kept here as they change rarely.
"""

DEMO_WORDS = {
    "be-positive": {
        "en": "welcome, smile, smiling, friendly, warm, cheerful, kind, pleasant, greeted, good mood, nice",
        "fr": "accueil, sourire, souriant, souriante, aimable, chaleureux, chaleureuse, bonne humeur, sympathique, "
        "agreable, gentil, gentille, bonjour",
    },
    "be-determined": {
        "en": "found, searched, ordered, order, called back, follow up, stock, out of stock, tracked, solution, "
        "went out of their way",
        "fr": "trouve, cherche, commande, rappele, rappel, suivi, stock, rupture, solution, demarche, jusqu'au bout",
    },
    "take-charge": {
        "en": "wait, waiting, waited, queue, checkout, till, nobody, no one helped, ignored, problem, broken, "
        "refund, complaint, fixed, sorted",
        "fr": "attente, attendre, attendu, file, queue, caisse, personne, ignore, probleme, casse, rembourse, "
        "remboursement, reclamation, regle, repare",
    },
    "be-respectful": {
        "en": "rude, polite, respect, respectful, patient, patience, courteous, condescending, listened, contempt",
        "fr": "impoli, impolie, poli, polie, respect, respectueux, patient, patiente, patience, courtois, "
        "meprisant, ecoute, mepris",
    },
}

PRAISE_WORDS = [
    # English
    "thank",
    "thanks",
    "great",
    "excellent",
    "perfect",
    "lovely",
    "helpful",
    "amazing",
    "wonderful",
    "happy",
    "recommend",
    "best",
    "nice",
    "friendly",
    "fast",
    "quick",
    "kind",
    "well done",
    # French
    "merci",
    "super",
    "excellent",
    "parfait",
    "parfaite",
    "genial",
    "ravi",
    "ravie",
    "recommande",
    "top",
    "bravo",
    "efficace",
    "rapide",
    "aimable",
    "formidable",
    "satisfait",
    "satisfaite",
]
COMPLAINT_WORDS = [
    # English
    "rude",
    "slow",
    "never",
    "worst",
    "bad",
    "terrible",
    "awful",
    "disappointed",
    "disappointing",
    "nobody",
    "no one",
    "waited",
    "ignored",
    "broken",
    "unacceptable",
    "annoyed",
    "too long",
    # French
    "impoli",
    "impolie",
    "lent",
    "lente",
    "jamais",
    "pire",
    "mauvais",
    "nul",
    "decu",
    "decue",
    "decevant",
    "personne",
    "ignore",
    "inacceptable",
    "trop long",
    "agace",
    "honteux",
    "scandaleux",
]
