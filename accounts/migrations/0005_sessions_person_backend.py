"""Sessions signed in through an earlier backend now name accounts.backends.PersonBackend.

Django treats a session whose backend is no longer in AUTHENTICATION_BACKENDS as
signed out: without this, everyone would have to log in again after the deploy.
"""

from django.db import migrations

EARLIER = {"django.contrib.auth.backends.ModelBackend", "accounts.backends.CachedModelBackend"}
NEW = "accounts.backends.PersonBackend"


def rename_backend(apps, schema_editor) -> None:
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in Session.objects.iterator():
        try:
            data = store.decode(session.session_data)
        except Exception:  # noqa: BLE001 (an unreadable session is signed out anyway)
            continue
        if data.get(BACKEND_SESSION_KEY) in EARLIER:
            data[BACKEND_SESSION_KEY] = NEW
            Session.objects.filter(pk=session.pk).update(session_data=store.encode(data))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_weekly_digest"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename_backend, migrations.RunPython.noop)]
