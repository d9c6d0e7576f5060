import json
import math

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, trans_real
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.feeds import feed_token
from accounts.models import Notification, PushSubscription, User
from accounts.oidc import login_choices
from accounts.personal_data import person_export
from accounts.push import push_subscription_delete, push_subscription_save
from accounts.services import (
    browser_language_record,
    feed_key_renew,
    feed_key_revoke,
    notifications_mark_read,
    password_changed,
    weekly_digest_set,
)
from accounts.unsubscribe import unsubscribe_user_pk
from config import ratelimit
from config.ratelimit import client_ip, limit_reached


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def browser_language(request: HttpRequest) -> str:
    """The site's language the browser asks for (Accept-Language only: a shared PC's cookie is someone else's)."""
    for code, _quality in trans_real.parse_accept_lang_header(request.headers.get("accept-language", "")):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return ""


def signed_in(request: HttpRequest, response: HttpResponse, user: User) -> HttpResponse:
    """After any sign-in: record the browser's language and set the person's own in the language cookie."""
    browser_language_record(user=user, language=browser_language(request))
    if user.known_language:
        set_language_cookie(response, user.known_language)
    return response


def login_locked_out(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None):
    """django-axes' answer to a locked name and address: the log-in page again, saying until when (429)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    last_failure = (
        AccessAttempt.objects.filter(username=username, ip_address=client_ip(request))
        .aggregate(last=Max("attempt_time"))
        .get("last")
    )
    until = (last_failure or timezone.now()) + settings.AXES_COOLOFF_TIME
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    message = ngettext(
        "Too many wrong passwords for this name. For your security, log-in is paused: try again in %(minutes)d "
        "minute (at %(time)s), or reset your password.",
        "Too many wrong passwords for this name. For your security, log-in is paused: try again in %(minutes)d "
        "minutes (at %(time)s), or reset your password.",
        minutes,
    ) % {"minutes": minutes, "time": date_format(timezone.localtime(until), "TIME_FORMAT")}
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "lockout_message": message, "next": request.POST.get("next", ""), **login_choices()}
    response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per e-mail address and per client address (config/ratelimit.py)."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        if limit_reached(ratelimit.RESET_MAILS_PER_ADDRESS, client_ip(self.request)) or limit_reached(
            ratelimit.RESET_MAILS_PER_EMAIL, email
        ):
            form.add_error(None, ratelimit.refusal_message())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; the person's private feed links are made again (accounts/feeds.py)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=form.user)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's new password from a reset link; the person's private feed links are made again."""

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=form.user)
        return response


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """Django's log-in, with company sign-in offered first when it is set up; records the person's languages."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **login_choices()}

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            return HttpResponseForbidden(_("Password sign-in is switched off: sign in with your company account."))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        return signed_in(self.request, super().form_valid(form), form.get_user())


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's log-in page, or ours (with company sign-in) when password sign-in is off."""
    if settings.PASSWORD_LOGIN:
        return admin.site.login(request)
    next_url = request.GET.get("next", reverse("admin:index"))
    return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The switcher: Django's set_language, remembered on the person's profile."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        User.objects.filter(pk=request.user.pk).update(preferred_language=language)
    return response


def profile(request: HttpRequest, username: str) -> HttpResponse:
    person = get_object_or_404(
        User.objects.filter(is_active=True).select_related("store__region").prefetch_related("groups"),
        username=username,
    )
    context = {"person": person, "password_sign_in": settings.PASSWORD_LOGIN, "push": push_settings(request, person)}
    if person.pk == request.user.pk and person.feed_key:
        context["feed_links"] = private_feed_links(request, person)
    return render(request, "accounts/profile.html", context)


def private_feed_links(request: HttpRequest, person: User) -> dict[str, str]:
    """The person's private Atom links, absolute (a feed reader knows no site): standards, stories."""
    return {
        feed: request.build_absolute_uri(reverse(f"{feed}-private-feed", args=[feed_token(person, feed)]))
        for feed in ("standards", "stories")
    }


@require_POST
def feed_links(request: HttpRequest) -> HttpResponse:
    """The profile's buttons for private feed links: make (new) ones, or turn them off."""
    action = request.POST.get("action")
    if action == "renew":
        had_links = bool(request.user.feed_key)
        feed_key_renew(user=request.user)
        if had_links:
            messages.success(request, _("Your feed links are new: the earlier ones no longer work."))
        else:
            messages.success(request, _("Your private feed links are ready: add them to your feed reader."))
    elif action == "revoke":
        feed_key_revoke(user=request.user)
        messages.success(request, _("Your private feed links are turned off: they no longer work."))
    else:
        messages.error(request, _("Choose to make new links or to turn them off."))
    return redirect(reverse("accounts:profile", args=[request.user.username]) + "#feeds-title")


def push_settings(request: HttpRequest, person: User) -> dict | None:
    """The profile's Web Push choices, for the person's own profile when push is set up."""
    if not settings.WEB_PUSH or person.pk != request.user.pk:
        return None
    chosen = {kind for kinds in person.push_subscriptions.values_list("kinds", flat=True) for kind in kinds}
    return {
        "public_key": settings.VAPID_PUBLIC_KEY,
        "kinds": [(value, label, value in chosen or not chosen) for value, label in PushSubscription.Kind.choices],
    }


def export(request: HttpRequest, username: str) -> HttpResponse:
    """A person's data as a ZIP: their own, or anyone's for an administrator (others: 404, as if nobody)."""
    person = get_object_or_404(User.objects.filter(erased_at=None).select_related("store"), username=username)
    if person.pk != request.user.pk and not request.user.has_perm("accounts.view_user"):
        raise Http404
    archive = person_export(person=person)
    filename = f"{person.username}-{timezone.localdate():%Y-%m-%d}.zip"
    response = FileResponse(archive, as_attachment=True, filename=filename, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def digest_setting(request: HttpRequest) -> HttpResponse:
    """The profile's switch for the weekly digest (an unticked box sends nothing: off)."""
    enabled = request.POST.get("weekly_digest") == "1"
    weekly_digest_set(user=request.user, enabled=enabled)
    if enabled:
        messages.success(request, _("You will receive the weekly digest."))
    else:
        messages.success(request, _("The weekly digest is off. You can turn it back on here at any time."))
    return redirect("accounts:profile", request.user.username)


@login_not_required
@csrf_exempt  # The signed token is the authority, not a session; mail clients POST it (RFC 8058 one-click).
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The digest's unsubscribe link: GET asks to confirm (mail scanners follow links), POST turns it off."""
    try:
        person = User.objects.filter(is_active=True).get(pk=unsubscribe_user_pk(token))
    except signing.SignatureExpired:
        return render(request, "accounts/unsubscribe.html", {"problem": "expired"}, status=400)
    except (signing.BadSignature, User.DoesNotExist):
        return render(request, "accounts/unsubscribe.html", {"problem": "invalid"}, status=400)
    done = request.method == "POST"
    if done:
        weekly_digest_set(user=person, enabled=False)
        person.weekly_digest = False
    return render(request, "accounts/unsubscribe.html", {"person": person, "token": token, "done": done})


def notifications(request: HttpRequest) -> HttpResponse:
    items = list(request.user.notifications.select_related("actor")[:100])
    context = {"notifications": items, "unread_count": request.user.unread_count}
    return render(request, "accounts/notifications.html", context)


@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notification read and go to what it is about."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications_mark_read(user=request.user, pk=notification.pk)
    if url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("accounts:notifications")


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_read(user=request.user)
    messages.success(
        request,
        ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count)
        % {"count": count},
    )
    return redirect("accounts:notifications")


def push_allowed() -> None:
    if not settings.WEB_PUSH:
        raise Http404


@require_POST
def push_subscribe(request: HttpRequest) -> JsonResponse:
    """The profile's script sends this device's Web Push subscription and the kinds chosen (JSON)."""
    push_allowed()
    try:
        data = json.loads(request.body)
        keys = data.get("keys") or {}
        endpoint, p256dh, auth = str(data["endpoint"]), str(keys["p256dh"]), str(keys["auth"])
        kinds = [str(kind) for kind in data.get("kinds") or []]
    except (ValueError, KeyError, TypeError, AttributeError):
        return JsonResponse({"error": _("This is not a push subscription.")}, status=400)
    if data.get("username", request.user.username) != request.user.username:
        raise PermissionDenied
    try:
        subscription = push_subscription_save(
            person=request.user, endpoint=endpoint, p256dh=p256dh, auth=auth, kinds=kinds
        )
    except ValidationError as error:
        return JsonResponse({"error": error.messages[0]}, status=400)
    return JsonResponse({"kinds": subscription.kinds})


@require_POST
def push_unsubscribe(request: HttpRequest) -> HttpResponse:
    """This device turned notifications off: forget its subscription (the person's own only)."""
    push_allowed()
    try:
        endpoint = str(json.loads(request.body)["endpoint"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": _("This is not a push subscription.")}, status=400)
    push_subscription_delete(person=request.user, endpoint=endpoint)
    return HttpResponse(status=204)
