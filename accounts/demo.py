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
    # name, slug, region slug, city
    ("Paris Opéra", "paris-opera", "ile-de-france", "Paris"),
    ("Paris Marais", "paris-marais", "ile-de-france", "Paris"),
    ("Versailles Parly", "versailles-parly", "ile-de-france", "Le Chesnay"),
    ("Lyon Bellecour", "lyon-bellecour", "auvergne-rhone-alpes", "Lyon"),
    ("Lyon Confluence", "lyon-confluence", "auvergne-rhone-alpes", "Lyon"),
    ("Annecy Vieille Ville", "annecy-vieille-ville", "auvergne-rhone-alpes", "Annecy"),
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
    for name, slug, region_slug, city in STORES:
        stores[slug], _ = Store.objects.get_or_create(
            slug=slug, defaults={"name": name, "region": regions[region_slug], "city": city}
        )

    people = [(u, n, s, r) for u, n, s, r, _ in PEOPLE] + [(u, n, s, roles.STAFF) for u, n, s in COLLEAGUES]
    for username, display_name, store_slug, role in people:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display_name,
                "email": f"{username}@example.com",
                "store": stores.get(store_slug),
                "is_staff": role == roles.ADMINISTRATORS,
                "is_superuser": role == roles.ADMINISTRATORS,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))


def login_lines() -> list[str]:
    lines = [f"Demo log-ins (password for all: {DEMO_PASSWORD})"]
    lines += [f"  {username:<8} {what}" for username, _, _, _, what in PEOPLE]
    return lines
