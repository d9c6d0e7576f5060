"""Company sign-in (OpenID Connect), on when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set.

mozilla-django-oidc runs the code flow (state, nonce, PKCE, token exchange, the ID
token's signature against the provider's keys); this module adds what the site
needs around it:

- the provider's endpoints are read from its discovery document
  (`OIDC_ISSUER/.well-known/openid-configuration`) when first needed, not at start-up,
  so a provider that is down costs a clear page, not a site that will not start;
- the ID token's issuer and audience are checked too (the library leaves them);
- the person is matched to the roster: by the employee ID claim
  (`OIDC_EMPLOYEE_ID_CLAIM`, default `employee_id`), else by e-mail; nobody is
  created from a sign-in unless `OIDC_CREATE_USERS=1`; a deactivated person is refused;
- every refusal is a page that says why, with password sign-in still offered when it is on.
"""

import logging
import time

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import roles
from accounts.backends import PersonBackend
from accounts.roster import ascii_name

logger = logging.getLogger(__name__)

DISCOVERY_SECONDS = 3600
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovery: dict[str, tuple[float, dict]] = {}  # issuer → (when read, document)


class ProviderUnavailable(Exception):
    """The provider did not answer, or not as an OpenID Connect provider."""


def oidc_enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID and settings.OIDC_CLIENT_SECRET)


def login_choices() -> dict[str, bool]:
    """What the log-in page offers."""
    return {"company_sign_in": oidc_enabled(), "password_sign_in": settings.PASSWORD_LOGIN}


def provider_configuration() -> dict:
    """The provider's discovery document, read once an hour."""
    issuer = settings.OIDC_ISSUER.rstrip("/")
    if issuer in _discovery:
        read_at, document = _discovery[issuer]
        if time.monotonic() - read_at < DISCOVERY_SECONDS:
            return document
    try:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        missing = [key for key in [*ENDPOINTS.values(), "issuer"] if key not in document]
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"{issuer}: {error}") from error
    if missing:
        raise ProviderUnavailable(f"{issuer}: the discovery document has no {', '.join(missing)}")
    _discovery[issuer] = (time.monotonic(), document)
    return document


def oidc_setting(attr: str, *default):
    """mozilla-django-oidc's settings, from ours and from the provider's discovery document."""
    if attr in ENDPOINTS:
        return provider_configuration()[ENDPOINTS[attr]]
    ours = {
        "OIDC_RP_CLIENT_ID": settings.OIDC_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": settings.OIDC_CLIENT_SECRET,
        "OIDC_RP_SIGN_ALGO": settings.OIDC_SIGN_ALGO,
        "OIDC_RP_SCOPES": settings.OIDC_SCOPES,
        "OIDC_TIMEOUT": settings.OIDC_TIMEOUT,
        "OIDC_USE_PKCE": True,
        "OIDC_CREATE_USER": False,  # decided here, in RosterOIDCBackend
        "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:company-sign-in-callback",
    }
    if attr in ours:
        return ours[attr]
    return import_from_settings(attr, *default)


class RosterOIDCBackend(OIDCAuthenticationBackend):
    """Signs in, from a provider's answer, a person already on the roster. Permissions stay PersonBackend's."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # The library reads its settings here; ours need the provider, so they are read on a callback only.
        self.UserModel = get_user_model()

    def load_settings(self) -> None:
        """The library's settings, the provider's endpoints among them (ProviderUnavailable if it does not answer)."""
        super().__init__()

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs or not oidc_enabled():
            return None  # a password sign-in, or company sign-in is off
        self.load_settings()
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        """The library's checks (signature, nonce, expiry), then the issuer and the audience."""
        payload = super().verify_token(token, **kwargs)
        issuer = provider_configuration()["issuer"]
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != issuer:
            raise SuspiciousOperation(f"ID token from {payload.get('iss')!r}, not {issuer!r}")
        if settings.OIDC_CLIENT_ID not in audiences:
            raise SuspiciousOperation(f"ID token for {audience!r}, not this site")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        person, refusal = match_person(claims)
        if refusal == "unknown" and settings.OIDC_CREATE_USERS:
            person, refusal = person_create(claims), None
        if refusal:
            logger.info("Company sign-in refused (%s) for %s", refusal, claims.get("sub"))
            self.request.company_sign_in_refusal = refusal
        return person

    def get_user(self, user_id):
        return PersonBackend().get_user(user_id)

    # Permissions are PersonBackend's alone (ModelBackend would read them again, uncached).
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False


def match_person(claims: dict):
    """(person, None), or (person or None, why they may not sign in): "inactive", "unknown" or "ambiguous"."""
    User = get_user_model()
    people = User.objects.filter(erased_at=None)
    employee_id = str(claims.get(settings.OIDC_EMPLOYEE_ID_CLAIM) or "").strip()
    email = str(claims.get("email") or "").strip()
    person = people.filter(employee_id=employee_id).first() if employee_id else None
    if person is None and email and claims.get("email_verified") is not False:
        same_email = list(people.filter(email__iexact=email)[:2])
        if len(same_email) > 1:
            return None, "ambiguous"
        person = same_email[0] if same_email else None
    if person is None:
        return None, "unknown"
    if not person.is_active:
        return person, "inactive"
    return person, None


def person_create(claims: dict):
    """A new staff member from the provider's claims (only with OIDC_CREATE_USERS=1)."""
    User = get_user_model()
    first, last = claims.get("given_name", ""), claims.get("family_name", "")
    base = ascii_name(f"{first}.{last}" if first or last else str(claims.get("email", "")).split("@")[0])
    base = base.strip(".-")[:140] or "person"
    username, number = base, 1
    while User.objects.filter(username__iexact=username).exists():
        number += 1
        username = f"{base}{number}"
    person = User.objects.create(
        username=username,
        email=claims.get("email", ""),
        first_name=first[:150],
        last_name=last[:150],
        employee_id=str(claims.get(settings.OIDC_EMPLOYEE_ID_CLAIM) or "") or None,
        password=make_password(None),
    )
    person.groups.add(Group.objects.get(name=roles.STAFF))
    return person


# Views


class StartView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc_setting)


class CallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if "code" in request.GET and request.GET.get("state") not in request.session.get("oidc_states", {}):
            # An answer to a sign-in this browser did not start, or one already used.
            raise SuspiciousOperation("OIDC callback state not found in the session")
        return super().get(request)

    def login_success(self):
        from accounts.views import signed_in

        return signed_in(self.request, super().login_success(), self.user)

    def login_failure(self):
        reason = getattr(self.request, "company_sign_in_refusal", "failed")
        return refusal_page(self.request, reason, status=403)


def refusal_page(request: HttpRequest, reason: str, *, status: int) -> HttpResponse:
    return render(
        request, "registration/company_sign_in_refused.html", {"reason": reason, **login_choices()}, status=status
    )


@login_not_required
def company_sign_in(request: HttpRequest) -> HttpResponse:
    """To the provider's sign-in page (the log-in page's "Sign in with your company account")."""
    if not oidc_enabled():
        raise Http404
    try:
        return StartView.as_view()(request)
    except ProviderUnavailable:
        logger.warning("Company sign-in: the provider is unavailable.", exc_info=True)
        return refusal_page(request, "unavailable", status=503)


@login_not_required
def company_sign_in_callback(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the person back, with a code to exchange for who they are."""
    if not oidc_enabled():
        raise Http404
    try:
        return CallbackView.as_view()(request)
    except (ProviderUnavailable, requests.ConnectionError, requests.Timeout):
        logger.warning("Company sign-in: the provider is unavailable.", exc_info=True)
        return refusal_page(request, "unavailable", status=503)
    except (SuspiciousOperation, jwt.InvalidTokenError, requests.HTTPError) as error:
        # A tampered or replayed state, a code already used, a token for someone else or out of date.
        logger.warning("Company sign-in refused: %s", error)
        return refusal_page(request, "invalid", status=400)
