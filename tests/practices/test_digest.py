import logging
import re
import threading
import time
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts import roles
from accounts.models import User
from accounts.unsubscribe import unsubscribe_token
from practices.digest.services import (
    Outcome,
    digest_send,
    digests_send_batch,
    last_week,
    parse_week,
    week_news,
    week_start,
)
from practices.digest.tasks import digests_enqueue, send_weekly_digests
from practices.library import services
from practices.models import DigestDelivery, Feedback, LearningPath, StandardRevision
from practices.onboarding import services as onboarding
from stories import services as story_services
from stories.models import Story, Vote
from tests.conftest import make_user
from tests.factories import make_pillar, make_standard, make_story

pytestmark = pytest.mark.django_db

THIS_WEEK = timezone.localdate().isoformat()


def send(**options) -> str:
    out = StringIO()
    call_command("send_digests", week=options.pop("week", THIS_WEEK), stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def mail_to(username: str):
    messages = [message for message in mail.outbox if message.to == [f"{username}@example.com"]]
    assert len(messages) == 1, f"{len(messages)} digests to {username}"
    return messages[0]


def html_of(message) -> str:
    assert [mimetype for _, mimetype in message.alternatives] == ["text/html"]
    return message.alternatives[0].content


def vote(story: Story, *voters: User) -> None:
    for voter in voters:
        story_services.vote_set(user=voter, story=story, voted=True)


@pytest.fixture
def week(cast):
    """A week with a clear top story (camille's, voted from two stores), a Lyon story and a new standard."""
    top = make_story(cast.camille, title="Umbrellas by the door", pillar=make_pillar())
    vote(top, cast.hugo, cast.lea, cast.julien)
    make_story(cast.hugo, title="A bowl of water for dogs")
    make_standard(cast.julien, title="Warn customers about the traffic warden")
    return top


class ContentTests:
    def test_camille_gets_an_english_digest_with_the_weeks_top_story(self, cast, week):
        send()
        message = mail_to("camille")
        assert message.subject.startswith("Your week on Service stories (week of ")
        text, html = message.body, html_of(message)
        assert "Hello Camille Martin," in text
        assert "The week's most valued stories" in text and "The week's most valued stories" in html
        first = text.index("The week's most valued stories")
        assert text.index("Umbrellas by the door", first) < text.index("A bowl of water for dogs", first)
        assert f"http://127.0.0.1:8000/stories/{week.pk}/" in text
        assert f'href="http://127.0.0.1:8000/stories/{week.pk}/"' in html
        assert "New: Warn customers about the traffic warden" in text
        assert "3 new votes" in text  # her own story's week

    def test_a_french_speaker_gets_it_in_french(self, cast, week):
        User.objects.filter(pk=cast.camille.pk).update(preferred_language="fr")
        send()
        message = mail_to("camille")
        assert message.subject.startswith("Votre semaine sur Histoires de service")
        assert "Bonjour Camille Martin," in message.body
        assert "Les histoires les plus appréciées de la semaine" in message.body
        assert "Umbrellas by the door" in message.body and "3 nouveaux votes" in message.body
        assert '<html lang="fr">' in html_of(message)
        assert "Your week" in mail_to("hugo").subject  # everyone in their own language

    def test_plain_text_and_html_parts(self, cast, week):
        send()
        message = mail_to("camille")
        assert "<" not in message.body.replace("<camille", "")
        html = html_of(message)
        assert html.startswith("<!doctype html>") and '<ol class="top-stories"' in html
        unsubscribe = re.search(r"http://127\.0\.0\.1:8000(/digest/unsubscribe/[^/]+/)", message.body)[1]
        assert message.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{unsubscribe}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert f'href="http://127.0.0.1:8000{unsubscribe}"' in html

    def test_the_region_section_brings_the_best_of_the_persons_region(self, cast):
        paris = [make_story(cast.camille, title=f"Paris {i}") for i in range(5)]
        for story in paris:
            vote(story, cast.lea, cast.hugo)
        make_story(make_user("manon", store=cast.lyon, role=roles.STAFF), title="Lyon only")
        send()
        hugo, camille = mail_to("hugo").body, mail_to("camille").body
        assert "Also valued in Auvergne-Rhône-Alpes" in hugo
        assert hugo.index("Lyon only") > hugo.index("Also valued in")
        assert "Also valued in" not in camille  # every Paris story is already in the network's five

    def test_new_and_revised_standards(self, cast):
        old = make_standard(cast.julien, title="Carry heavy bags to the car")
        services.standard_update(
            standard=old,
            editor=cast.julien,
            title=old.title,
            summary=old.summary,
            practice="Offer first, then carry.",
            why="",
            pillar=None,
            tags=[],
            change_note="Offer before carrying",
            material=True,
        )
        StandardRevision.objects.filter(standard=old, number=1).update(created_at=timezone.now() - timedelta(days=30))
        make_standard(cast.julien, title="Lend an umbrella")
        make_standard(cast.julien, title="A draft nobody sees", publish=False)
        send()
        text = mail_to("lea").body
        assert "New: Lend an umbrella" in text
        assert "Revised: Carry heavy bags to the car\n  Offer before carrying" in text
        assert "A draft nobody sees" not in text

    def test_the_learning_path_progress(self, cast):
        path = LearningPath.objects.get_or_create(title="First weeks", created_by=cast.julien)[0]
        first, second = make_standard(cast.julien, title="Greet"), make_standard(cast.julien, title="Listen")
        onboarding.path_step_add(path=path, standard=first)
        onboarding.path_step_add(path=path, standard=second)
        onboarding.path_assign(path=path, person=cast.lea, curator=cast.julien)
        onboarding.standard_acknowledge(user=cast.lea, standard=first, revision=1)
        send()
        text = mail_to("lea").body
        assert "Your learning path" in text
        assert "First weeks: 1 of 2 standards read (50 %)" in text and "Next: Listen" in text
        assert "Your learning path" not in mail_to("hugo").body

    def test_what_happened_to_the_persons_own_stories(self, cast):
        story = make_story(cast.camille, title="Umbrellas by the door")
        vote(story, cast.hugo, cast.lea)
        story_services.comment_add(author=cast.hugo, story=story, body="Great idea.")
        story_services.comment_add(author=cast.camille, story=story, body="Thanks!")  # her own: not news
        story_services.tried_record(user=cast.hugo, story=story)
        services.story_promote(story=story, curator=cast.julien, standard=make_standard(cast.julien, title="Umbrellas"))
        quiet = make_story(cast.camille, title="Nobody noticed")
        send()
        text = mail_to("camille").body
        mine = text[text.index("Your stories this week") :]
        assert (
            "- Umbrellas by the door\n  2 new votes · 1 new comment · tried at Lyon Bellecour"
            " · became the standard “Umbrellas”" in mine
        )
        assert "Nobody noticed" not in mine and f"/stories/{quiet.pk}/" not in mine
        assert "Nothing new on your stories this week" in mail_to("lea").body

    def test_last_weeks_activity_stays_out(self, cast):
        story = make_story(cast.camille, title="Umbrellas by the door")
        vote(story, cast.hugo)
        Vote.objects.update(created_at=timezone.now() - timedelta(days=8))
        Story.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(days=8))
        make_story(cast.hugo, title="This week's")
        send()
        text = mail_to("camille").body
        assert "Umbrellas by the door" not in text and "This week's" in text

    def test_a_week_with_nothing_new_sends_nothing(self, cast):
        assert "nothing new: 5" in send()
        assert mail.outbox == [] and not DigestDelivery.objects.exists()


class SendingTests:
    def test_a_second_run_the_same_week_sends_nothing(self, cast, week):
        send()
        assert len(mail.outbox) == 5  # the five people of the cast
        assert DigestDelivery.objects.filter(week=week_start(timezone.localdate())).count() == 5
        output = send()
        assert len(mail.outbox) == 5
        assert "already sent this week: 5" in output and "Nothing to send." in output

    def test_a_digest_already_recorded_is_not_sent_even_when_queued_again(self, cast, week):
        news = week_news(week_start(timezone.localdate()))
        assert digest_send(person=cast.camille, news=news) == Outcome.SENT
        assert digest_send(person=cast.camille, news=news) == Outcome.ALREADY_SENT
        assert len(mail.outbox) == 1

    def test_people_who_turned_it_off_get_nothing(self, cast, week):
        User.objects.filter(pk=cast.camille.pk).update(weekly_digest=False)
        send()
        assert "camille@example.com" not in [message.to[0] for message in mail.outbox]
        assert len(mail.outbox) == 4

    def test_turning_it_off_after_the_run_was_queued_is_respected(self, cast, week):
        news = week_news(week_start(timezone.localdate()))
        User.objects.filter(pk=cast.camille.pk).update(weekly_digest=False)
        assert digest_send(person=cast.camille, news=news) == Outcome.OPTED_OUT
        assert mail.outbox == [] and not DigestDelivery.objects.exists()

    def test_a_person_without_an_address_is_skipped_and_logged(self, cast, week, caplog):
        User.objects.filter(pk=cast.lea.pk).update(email="")
        with caplog.at_level(logging.INFO):
            output = send()
        assert "skipped, no e-mail address: lea" in output
        assert "Weekly digest for lea (week of" in caplog.text and "no e-mail address" in caplog.text
        assert len(mail.outbox) == 4 and not DigestDelivery.objects.filter(person=cast.lea).exists()
        cast.lea.email = ""
        with caplog.at_level(logging.INFO):
            assert digest_send(person=cast.lea, news=week_news(week_start(timezone.localdate()))) == Outcome.NO_EMAIL

    def test_a_failed_mail_is_not_recorded_so_the_next_run_sends_it(self, cast, week, settings):
        settings.MAILERS = {"default": {"BACKEND": "tests.practices.test_digest.FailingBackend"}}
        with pytest.raises(CommandError, match="failed"):
            send(user=["camille"])
        assert not DigestDelivery.objects.exists()
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        send(user=["camille"])
        assert len(mail.outbox) == 1 and DigestDelivery.objects.count() == 1

    @pytest.mark.django_db(transaction=True)
    def test_four_workers_sending_the_same_digest_at_once_send_it_once(self, cast, week):
        monday = week_start(timezone.localdate())
        barrier = threading.Barrier(4)
        outcomes: list[Outcome] = []
        errors: list[Exception] = []

        def worker() -> None:
            try:
                news = week_news(monday)
                person = User.objects.select_related("store__region").get(pk=cast.camille.pk)
                barrier.wait()
                outcomes.append(digest_send(person=person, news=news))
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                connection.close()  # the thread's own connection, so the test database can be dropped

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sorted(outcomes) == sorted([Outcome.SENT] + [Outcome.ALREADY_SENT] * 3)
        assert len(mail.outbox) == 1 and DigestDelivery.objects.count() == 1

    @pytest.mark.parametrize("count", [1, 10])
    def test_a_digest_costs_the_same_queries_however_busy_the_week(self, cast, count, django_assert_num_queries):
        for i in range(count):
            story = make_story(cast.camille, title=f"Story {i}")
            vote(story, cast.hugo, cast.lea)
            story_services.comment_add(author=cast.hugo, story=story, body="Nice.")
            story_services.tried_record(user=cast.hugo, story=story)
            make_standard(cast.julien, title=f"Standard {i}")
        # the week's top stories, standards revised; the people; camille: already sent?, her region's
        # top stories, her paths (none: no steps to read), votes, comments, tries and promotions on
        # her stories, their titles, what customers praised in her store; the transaction (a savepoint
        # in tests), the lock on her row, the record (look-up, savepoint, insert, release)
        with django_assert_num_queries(19):
            counts = digests_send_batch(user_ids=[cast.camille.pk], week=week_start(timezone.localdate()))
        assert counts["sent"] == 1 and f"Story {count - 1}" in mail.outbox[0].body


class CustomerWordsTests:
    def test_each_store_gets_its_customers_best_words_of_the_week(self, cast):
        monday = week_start(timezone.localdate())
        common = {"source": "survey", "sentiment": "praise", "date": monday}
        Feedback.objects.create(store=cast.paris, text="Best welcome ever", rating=10, **common)
        Feedback.objects.create(store=cast.paris, text="Quite nice", rating=8, **common)
        Feedback.objects.create(store=cast.paris, text="Slow and rude", rating=1, source="review", date=monday)
        Feedback.objects.create(
            store=cast.paris, text="Last week's praise", rating=10, **common | {"date": monday - timedelta(days=1)}
        )
        Feedback.objects.create(store=cast.lyon, text="Lyon is lovely", rating=9, **common)
        send()
        camille = mail_to("camille")
        assert "What customers said about Paris Opéra" in camille.body
        assert camille.body.index("Best welcome ever") < camille.body.index("Quite nice")
        assert "Slow and rude" not in camille.body and "Last week's praise" not in camille.body
        assert "Lyon is lovely" not in camille.body and "Best welcome ever" in html_of(camille)
        assert "Lyon is lovely" in mail_to("hugo").body


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


class TaskTests:
    def test_the_task_runs_at_once_with_the_immediate_backend(self, cast, week):
        result = send_weekly_digests.enqueue(user_ids=[cast.camille.pk, cast.hugo.pk], week=THIS_WEEK)
        assert result.status == "SUCCESSFUL"
        assert result.return_value["sent"] == 2
        assert sorted(message.to[0] for message in mail.outbox) == ["camille@example.com", "hugo@example.com"]

    def test_people_are_queued_in_batches(self, cast, week, monkeypatch):
        monkeypatch.setattr("practices.digest.tasks.BATCH_SIZE", 2)
        recipients, results = digests_enqueue(week=week_start(timezone.localdate()))
        assert len(recipients.to_send) == 5
        assert [len(result.kwargs["user_ids"]) for result in results] == [2, 2, 1]
        assert len(mail.outbox) == 5

    @pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection, as in production
    def test_the_database_queue_keeps_the_task_until_the_worker_runs_it(self, cast, week, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
        output = send()
        assert "1 batch(es) queued for the task worker (db_worker)" in output
        assert mail.outbox == [] and DBTaskResult.objects.count() == 1  # a restart loses nothing: it is a row
        call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=StringIO(), stderr=StringIO())
        assert len(mail.outbox) == 5
        assert DBTaskResult.objects.get().status == "SUCCESSFUL"


class CommandTests:
    def test_by_default_it_sends_last_week(self, cast):
        story = make_story(cast.hugo, title="Last week's best")
        Story.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(days=7))
        out = StringIO()
        call_command("send_digests", stdout=out)
        monday = last_week()
        assert f"week of {monday:%Y-%m-%d}" in out.getvalue()
        assert "Last week's best" in mail_to("camille").body
        assert DigestDelivery.objects.filter(week=monday).count() == 5

    def test_dry_run_sends_and_records_nothing(self, cast, week):
        output = send(dry_run=True)
        assert "would send: camille <camille@example.com> (default language)" in output
        assert "Dry run: nothing sent, nothing recorded." in output
        assert mail.outbox == [] and not DigestDelivery.objects.exists()

    def test_one_person(self, cast, week):
        send(user=["camille"])
        assert [message.to for message in mail.outbox] == [["camille@example.com"]]

    @pytest.mark.parametrize("value", ["last tuesday", "2026-W60", "2026-13-01"])
    def test_a_bad_week_is_a_clear_error(self, cast, value):
        with pytest.raises(CommandError, match="give an ISO week"):
            send(week=value)

    def test_weeks_are_named_by_their_monday(self):
        assert parse_week("2026-W47").isoformat() == "2026-11-16"
        assert parse_week("2026w47") == parse_week("2026-11-22") == parse_week(" 2026-11-16 ")


class UnsubscribeTests:
    def test_the_link_in_the_mail_turns_the_digest_off_without_logging_in(self, cast, week):
        send(user=["camille"])
        path = re.search(r"http://127\.0\.0\.1:8000(/digest/unsubscribe/[^/]+/)", mail.outbox[0].body)[1]
        anonymous = Client()
        page = anonymous.get(path)
        assert page.status_code == 200 and "Stop sending the weekly digest to Camille Martin?" in page.content.decode()
        assert User.objects.get(pk=cast.camille.pk).weekly_digest  # looking is not unsubscribing
        done = anonymous.post(path)
        assert done.status_code == 200 and "The weekly digest is off for Camille Martin." in done.content.decode()
        assert not User.objects.get(pk=cast.camille.pk).weekly_digest
        assert "already off" in anonymous.get(path).content.decode()

    def test_a_tampered_link_changes_nothing(self, cast):
        token = unsubscribe_token(cast.camille.pk)
        for bad in [token[:-2] + ("aa" if not token.endswith("aa") else "bb"), "nonsense", token.replace(":", "", 1)]:
            response = Client().post(reverse("accounts:digest-unsubscribe", args=[bad]))
            assert response.status_code == 400
            assert "This unsubscribe link is not valid" in response.content.decode()
        assert User.objects.get(pk=cast.camille.pk).weekly_digest

    def test_an_expired_link_changes_nothing(self, cast):
        with mock.patch("django.core.signing.time.time", return_value=time.time() - 61 * 24 * 3600):
            token = unsubscribe_token(cast.camille.pk)
        response = Client().post(reverse("accounts:digest-unsubscribe", args=[token]))
        assert response.status_code == 400
        assert "This unsubscribe link has expired. Nothing was changed." in response.content.decode()
        assert User.objects.get(pk=cast.camille.pk).weekly_digest

    def test_a_link_for_someone_who_left_changes_nothing(self, cast):
        token = unsubscribe_token(cast.camille.pk)
        User.objects.filter(pk=cast.camille.pk).update(is_active=False)
        assert Client().post(reverse("accounts:digest-unsubscribe", args=[token])).status_code == 400

    def test_the_pages_speak_french(self, cast):
        token = unsubscribe_token(cast.camille.pk)
        page = Client().get(reverse("accounts:digest-unsubscribe", args=[token]), headers={"accept-language": "fr"})
        assert "Ne plus envoyer le résumé de la semaine à Camille Martin ?" in page.content.decode()


class ProfileSettingTests:
    def test_each_person_turns_it_off_and_on_from_their_profile(self, client, cast):
        client.force_login(cast.camille)
        profile = client.get(reverse("accounts:profile", args=["camille"])).content.decode()
        assert "Send me the weekly digest by e-mail" in profile and "checked" in profile
        response = client.post(reverse("accounts:digest-setting"), follow=True)
        assert "The weekly digest is off." in response.content.decode()
        assert not User.objects.get(pk=cast.camille.pk).weekly_digest
        client.post(reverse("accounts:digest-setting"), {"weekly_digest": "1"})
        assert User.objects.get(pk=cast.camille.pk).weekly_digest

    def test_nobody_else_sees_or_changes_the_setting(self, client, cast):
        client.force_login(cast.julien)
        assert (
            "Send me the weekly digest"
            not in client.get(reverse("accounts:profile", args=["camille"])).content.decode()
        )
        client.post(reverse("accounts:digest-setting"))  # changes julien's own, nobody else's
        assert User.objects.get(pk=cast.camille.pk).weekly_digest
        assert not User.objects.get(pk=cast.julien.pk).weekly_digest
        assert client.get(reverse("accounts:digest-setting")).status_code == 405
