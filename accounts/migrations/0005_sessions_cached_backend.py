"""Sessions signed in through Django's ModelBackend now name accounts.backends.CachedModelBackend.

Django treats a session whose backend is no longer in AUTHENTICATION_BACKENDS as
signed out: without this, everyone would have to log in again after the deploy.
"""

from django.db import migrations

OLD = "django.contrib.auth.backends.ModelBackend"
NEW = "accounts.backends.CachedModelBackend"


def rename_backend(apps, schema_editor, old=OLD, new=NEW) -> None:
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in Session.objects.iterator():
        try:
            data = store.decode(session.session_data)
        except Exception:  # noqa: BLE001 (an unreadable session is signed out anyway)
            continue
        if data.get(BACKEND_SESSION_KEY) == old:
            data[BACKEND_SESSION_KEY] = new
            Session.objects.filter(pk=session.pk).update(session_data=store.encode(data))


def rename_back(apps, schema_editor) -> None:
    rename_backend(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_weekly_digest"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename_backend, rename_back)]
