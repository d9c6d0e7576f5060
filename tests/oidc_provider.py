"""A real OpenID Connect provider for tests: oidc-provider-mock's server, on a loopback port, in a thread.

Each pytest-xdist worker takes its own ports (18200 + 10 per worker): two workers never meet.
"""

import os
from contextlib import contextmanager

import pytest
import requests
from oidc_provider_mock import run_server_in_thread

from accounts import oidc

CLIENT_ID = "service-stories"
CLIENT_SECRET = "test-client-secret"


def port(offset: int = 0) -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return 18200 + 10 * int(worker or 0) + offset


@contextmanager
def provider(offset: int = 0, **options):
    """The provider's issuer URL while it runs."""
    with run_server_in_thread(port=port(offset), **options) as server:
        yield f"http://localhost:{server.server_port}"


def set_claims(issuer: str, sub: str, **claims) -> None:
    """The claims the provider gives for `sub` (its userinfo and, for standard ones, the ID token)."""
    requests.put(f"{issuer}/users/{sub}", json=claims, timeout=5).raise_for_status()


@pytest.fixture
def company_sign_in(settings):
    """Company sign-in on, against a provider running for this test: yields its issuer."""
    with provider() as issuer:
        settings.OIDC_ISSUER = issuer
        settings.OIDC_CLIENT_ID = CLIENT_ID
        settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
        oidc._discovery.clear()
        yield issuer
        oidc._discovery.clear()
