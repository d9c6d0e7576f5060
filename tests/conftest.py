"""The cast every test can use, built the same way in every test.

camille (staff, Paris), hugo (staff, Lyon), julien (curator), lea (new hire,
Paris) and admin, in two regions. Passwords are all PASSWORD.
"""

from dataclasses import dataclass

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache

from accounts import roles
from accounts.models import Region, Store, User
from config import ratelimit
from config.cache import cache_resume
from config.ratelimit import ratelimit_resume
from tests.oidc_provider import company_sign_in  # noqa: F401 (a fixture: company sign-in against a real provider)

PASSWORD = "demo-pass-2026"

# Hashing passwords properly is slow on purpose; tests need it fast.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Cast:
    paris: Store
    marais: Store
    lyon: Store
    camille: User
    hugo: User
    julien: User
    lea: User
    admin: User


def make_user(username: str, *, store: Store | None, role: str, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.com",
        display_name=extra.pop("display_name", username.capitalize()),
        store=store,
        **extra,
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def cast(db) -> Cast:
    # Transactional tests flush the tables the data migration filled: make the roles again.
    roles.sync_roles(django_apps)
    idf = Region.objects.create(name="Île-de-France", slug="ile-de-france")
    ara = Region.objects.create(name="Auvergne-Rhône-Alpes", slug="auvergne-rhone-alpes")
    paris = Store.objects.create(name="Paris Opéra", slug="paris-opera", region=idf, city="Paris")
    marais = Store.objects.create(name="Paris Marais", slug="paris-marais", region=idf, city="Paris")
    lyon = Store.objects.create(name="Lyon Bellecour", slug="lyon-bellecour", region=ara, city="Lyon")
    return Cast(
        paris=paris,
        marais=marais,
        lyon=lyon,
        camille=make_user("camille", store=paris, role=roles.STAFF, display_name="Camille Martin"),
        hugo=make_user("hugo", store=lyon, role=roles.STAFF, display_name="Hugo Bernard"),
        julien=make_user("julien", store=lyon, role=roles.CURATORS, display_name="Julien Petit"),
        lea=make_user("lea", store=marais, role=roles.NEW_HIRES, display_name="Léa Durand"),
        admin=make_user("admin", store=None, role=roles.ADMINISTRATORS, is_staff=True, is_superuser=True),
    )


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded photos go to a temporary folder, never into the work tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: nothing rendered for an earlier test is served to this one."""
    cache.clear()
    cache_resume()  # after a test that took the cache down
    ratelimit_resume()


@pytest.fixture(autouse=True)
def one_rate_limit_window(monkeypatch):
    """Rate limits count in fixed windows: a burst that crossed a minute would start a new count mid-test."""
    monkeypatch.setattr(ratelimit, "current_window", lambda seconds: 1)
