"""Demo regions, stores and the five demo accounts (see README)."""

from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import Region, Store, User

DEMO_PASSWORD = "demo-pass-2026"

REGIONS = [
    ("Île-de-France", "ile-de-france"),
    ("Auvergne-Rhône-Alpes", "auvergne-rhone-alpes"),
]
STORES = [
    # name, slug, region slug, city, store code (the HR roster's)
    ("Paris Opéra", "paris-opera", "ile-de-france", "Paris", "PAR01"),
    ("Paris Marais", "paris-marais", "ile-de-france", "Paris", "PAR02"),
    ("Versailles Parly", "versailles-parly", "ile-de-france", "Le Chesnay", "VER01"),
    ("Lyon Bellecour", "lyon-bellecour", "auvergne-rhone-alpes", "Lyon", "LYO01"),
    ("Lyon Confluence", "lyon-confluence", "auvergne-rhone-alpes", "Lyon", "LYO02"),
    ("Annecy Vieille Ville", "annecy-vieille-ville", "auvergne-rhone-alpes", "Annecy", "ANN01"),
]
PEOPLE = [
    # username, display name, store slug, role, what they do
    ("camille", "Camille Martin", "paris-opera", roles.STAFF, "sales associate, Paris"),
    ("hugo", "Hugo Bernard", "lyon-bellecour", roles.STAFF, "sales associate, Lyon"),
    ("julien", "Julien Petit", "lyon-bellecour", roles.CURATORS, "store and regional manager, curator"),
    ("lea", "Léa Durand", "paris-marais", roles.NEW_HIRES, "new hire, Paris"),
    ("admin", "Admin", None, roles.ADMINISTRATORS, "administrator"),
]
# A few more colleagues so that votes and "we tried it" come from several stores.
COLLEAGUES = [
    ("ines", "Inès Moreau", "paris-marais"),
    ("theo", "Théo Laurent", "versailles-parly"),
    ("manon", "Manon Girard", "lyon-confluence"),
    ("lucas", "Lucas Roux", "annecy-vieille-ville"),
    ("sarah", "Sarah Fournier", "paris-opera"),
]


def seed() -> None:
    regions = {}
    for name, slug in REGIONS:
        regions[slug], _ = Region.objects.get_or_create(slug=slug, defaults={"name": name})
    stores = {}
    for name, slug, region_slug, city, code in STORES:
        stores[slug], _ = Store.objects.get_or_create(
            slug=slug, defaults={"name": name, "region": regions[region_slug], "city": city, "store_code": code}
        )
        # Demo databases made before store codes existed get theirs.
        Store.objects.filter(slug=slug, store_code=None).update(store_code=code)

    people = [(u, n, s, r) for u, n, s, r, _ in PEOPLE] + [(u, n, s, roles.STAFF) for u, n, s in COLLEAGUES]
    for number, (username, display_name, store_slug, role) in enumerate(people, start=1):
        first_name, _, last_name = display_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display_name,
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.com",
                "store": stores.get(store_slug),
                "is_staff": role == roles.ADMINISTRATORS,
                "is_superuser": role == roles.ADMINISTRATORS,
                "employee_id": employee_id(number),
                # The demo network is French: its staff read the site and their mail in French.
                "language": "fr" if store_slug else "",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        elif store_slug:
            # Demo databases made before the roster's language existed: their French staff get French mail.
            User.objects.filter(pk=user.pk, language="").update(language="fr")
        User.objects.filter(pk=user.pk, employee_id=None).update(employee_id=employee_id(number))
        user.groups.add(Group.objects.get(name=role))


def employee_id(number: int) -> str:
    """The demo people's HR numbers, as in a roster file (see README, "The HR roster")."""
    return f"E{number:05d}"


def login_lines() -> list[str]:
    lines = [f"Demo log-ins (password for all: {DEMO_PASSWORD})"]
    lines += [f"  {username:<8} {what}" for username, _, _, _, what in PEOPLE]
    return lines
