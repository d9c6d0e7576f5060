"""The weekly guestbook exchange, after Nespresso's boutiques swapping their books.

Each week every store is shown another store's guestbook. The choice is a pure
function of the week and the list of stores, so every app process agrees
without storing anything: a store cycles through the stores of other regions
(then its own region's, where there are too few), one a week, and stores of
one region start at different points of the cycle so they do not all read
the same book in the same week.
"""

from datetime import date

from accounts.models import Store


def week_number(day: date) -> int:
    """Weeks since a fixed Monday: changes every Monday, the same everywhere."""
    return (day.toordinal() - date(2024, 1, 1).toordinal()) // 7


def exchange_stores() -> list[Store]:
    """Every store, as the exchange reads them (one query; pass the list on to avoid reading it again)."""
    return list(Store.objects.order_by("pk").only("pk", "region_id", "name", "slug", "city"))


def exchanged_store(store: Store, day: date, stores: list[Store] | None = None) -> Store | None:
    """The store whose guestbook `store` reads in the week of `day`."""
    stores = exchange_stores() if stores is None else stores
    others = [s for s in stores if s.pk != store.pk]
    if not others:
        return None
    elsewhere = [s for s in others if s.region_id != store.region_id]
    candidates = elsewhere if len(elsewhere) >= 2 else elsewhere + [s for s in others if s not in elsewhere]
    rank_in_region = [s.pk for s in stores if s.region_id == store.region_id].index(store.pk)
    return candidates[(week_number(day) + rank_in_region) % len(candidates)]


def borrows(store_id: int | None, guestbook_store: Store, day: date, stores: list[Store] | None = None) -> bool:
    """Does the store `store_id` borrow `guestbook_store`'s guestbook in the week of `day`? (Its staff may then
    write in it, that week only.)"""
    if store_id is None or store_id == guestbook_store.pk:
        return False
    stores = exchange_stores() if stores is None else stores
    borrower = next((s for s in stores if s.pk == store_id), None)
    partner = exchanged_store(borrower, day, stores) if borrower else None
    return partner is not None and partner.pk == guestbook_store.pk
