"""Issue 16: Web Push, tested up to the encrypted request a push service would receive (a server on loopback)."""

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse
from py_vapid import Vapid

from accounts.models import PushSubscription
from accounts.services import notify, notify_many

pytestmark = pytest.mark.django_db


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class PushService:
    """A push endpoint on a free loopback port that records each request and answers `status`."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 201
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.requests.append(
                    {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                )
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Device:
    """A browser's side of a subscription: its key pair and auth secret, to read what was sent to it."""

    def __init__(self, endpoint: str):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.auth_secret = os.urandom(16)
        self.subscription = {"endpoint": endpoint, "keys": {"p256dh": b64url(public), "auth": b64url(self.auth_secret)}}

    def read(self, body: bytes) -> dict:
        clear = http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm")
        return json.loads(clear)


@pytest.fixture
def push_service(settings):
    vapid = Vapid()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    public = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    settings.VAPID_PRIVATE_KEY = b64url(private)
    settings.VAPID_PUBLIC_KEY = b64url(public)
    settings.VAPID_SUBJECT = "mailto:push@example.com"
    settings.WEB_PUSH = True
    settings.WEB_PUSH_HTTP_ENDPOINTS = True
    service = PushService()
    yield service
    service.close()


def subscribe(client, device: Device, kinds: list[str], **extra):
    body = {**device.subscription, "kinds": kinds, **extra}
    return client.post(reverse("accounts:push-subscribe"), json.dumps(body), content_type="application/json")


class PushTests:
    def test_a_mention_reaches_the_device_encrypted_and_signed(
        self, client, cast, push_service, settings, django_capture_on_commit_callbacks
    ):
        device = Device(push_service.url + "/send/abc")
        client.force_login(cast.camille)
        assert subscribe(client, device, ["mentions", "replies"]).json() == {"kinds": ["mentions", "replies"]}
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipient=cast.camille, kind="mention", url="/stories/7/", actor=cast.hugo, title="Le parapluie")
        [sent] = push_service.requests
        assert sent["path"] == "/send/abc"
        assert sent["headers"]["content-encoding"] == "aes128gcm"
        assert sent["headers"]["authorization"].startswith("vapid t=")
        assert sent["headers"]["authorization"].endswith(f",k={settings.VAPID_PUBLIC_KEY}")
        assert "Le parapluie" not in sent["body"].decode("latin-1")
        message = device.read(sent["body"])
        assert message["url"] == "/stories/7/"
        assert "Le parapluie" in message["body"] and "Hugo" in message["body"]

    def test_a_notification_to_many_reaches_each_subscribed_device_once(
        self, client, cast, push_service, django_capture_on_commit_callbacks
    ):
        for person, path in [(cast.camille, "/send/c"), (cast.hugo, "/send/h")]:
            client.force_login(person)
            subscribe(client, Device(push_service.url + path), ["reread"])
        people = [cast.camille, cast.hugo, cast.lea]
        for _ in range(2):  # the second time, everyone was already told: nothing more
            with django_capture_on_commit_callbacks(execute=True):
                notify_many(recipients=people, kind="reread", url="/library/a/", once_key="reread:1", standard="A")
        assert sorted(request["path"] for request in push_service.requests) == ["/send/c", "/send/h"]

    def test_a_kind_not_chosen_is_not_sent(self, client, cast, push_service, django_capture_on_commit_callbacks):
        client.force_login(cast.camille)
        subscribe(client, Device(push_service.url + "/send/1"), ["promotions"])
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipient=cast.camille, kind="reply", url="/stories/7/", actor=cast.hugo, title="T")
            notify(recipient=cast.hugo, kind="mention", url="/stories/7/", actor=cast.camille, title="T")
        assert push_service.requests == []

    def test_a_subscription_the_service_says_is_gone_is_deleted(
        self, client, cast, push_service, django_capture_on_commit_callbacks
    ):
        client.force_login(cast.camille)
        subscribe(client, Device(push_service.url + "/send/gone"), ["reread"])
        push_service.status = 410
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipient=cast.camille, kind="reread", url="/library/x/", standard="Accueil")
        assert len(push_service.requests) == 1
        assert not PushSubscription.objects.exists()

    def test_a_subscription_for_another_person_is_refused(self, client, cast, push_service):
        client.force_login(cast.camille)
        device = Device("https://push.example.com/send/1")
        assert subscribe(client, device, ["mentions"], username="hugo").status_code == 403
        assert not PushSubscription.objects.exists()
        client.force_login(cast.hugo)
        subscribe(client, device, ["mentions"])
        client.force_login(cast.camille)
        assert subscribe(client, device, ["replies"]).status_code == 403  # hugo's device stays hugo's
        assert PushSubscription.objects.get().person == cast.hugo
        unsubscribe = client.post(
            reverse("accounts:push-unsubscribe"), json.dumps({"endpoint": device.subscription["endpoint"]}),
            content_type="application/json",
        )  # fmt: skip
        assert unsubscribe.status_code == 204
        assert PushSubscription.objects.get().kinds == ["mentions"]

    @pytest.mark.parametrize(
        "body",
        ["not json", "[]", json.dumps({"endpoint": "https://x.example/1"}), json.dumps({"endpoint": "javascript:1",
         "keys": {"p256dh": "a", "auth": "b"}})],
    )  # fmt: skip
    def test_bad_subscriptions_are_refused(self, client, cast, push_service, settings, body):
        settings.WEB_PUSH_HTTP_ENDPOINTS = False
        client.force_login(cast.camille)
        response = client.post(reverse("accounts:push-subscribe"), body, content_type="application/json")
        assert response.status_code == 400
        assert not PushSubscription.objects.exists()

    def test_opting_out_deletes_the_subscription(self, client, cast, push_service):
        client.force_login(cast.camille)
        device = Device(push_service.url + "/send/1")
        subscribe(client, device, ["mentions"])
        client.post(reverse("accounts:push-unsubscribe"), json.dumps({"endpoint": device.subscription["endpoint"]}),
                    content_type="application/json")  # fmt: skip
        assert not PushSubscription.objects.exists()

    def test_the_profile_offers_the_choices_only_with_vapid_keys(self, client, cast, push_service, settings):
        client.force_login(cast.camille)
        page = client.get(reverse("accounts:profile", args=["camille"])).content.decode()
        assert 'id="push-settings"' in page and f'data-public-key="{settings.VAPID_PUBLIC_KEY}"' in page
        assert 'id="push-settings"' not in client.get(reverse("accounts:profile", args=["hugo"])).content.decode()
        settings.WEB_PUSH = False
        assert 'id="push-settings"' not in client.get(reverse("accounts:profile", args=["camille"])).content.decode()
        device = Device("https://push.example.com/send/1")
        assert subscribe(client, device, ["mentions"]).status_code == 404

    def test_a_persons_data_shows_their_devices_and_erasure_forgets_them(self, client, cast, push_service):
        from accounts.personal_data import person_erase, profile_export

        client.force_login(cast.camille)
        device = Device("https://push.example.com/send/1")
        subscribe(client, device, ["mentions"])
        [exported] = profile_export(cast.camille)["push_subscriptions"]
        assert exported["endpoint"] == device.subscription["endpoint"] and exported["kinds"] == ["mentions"]
        person_erase(person=cast.camille, delete_content=False)
        assert not PushSubscription.objects.exists()
