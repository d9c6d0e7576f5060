import math

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core import signing
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Notification, User
from accounts.services import notifications_mark_read, weekly_digest_set
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
    context = {"form": form, "lockout_message": message, "next": request.POST.get("next", "")}
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


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """Django's log-in, which also restores the language the person chose before."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        if language:
            set_language_cookie(response, language)
        return response


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
    return render(request, "accounts/profile.html", {"person": person})


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
    return render(request, "accounts/notifications.html", {"notifications": items})


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
