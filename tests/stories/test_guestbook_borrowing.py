"""A borrowed guestbook can be answered: the staff of the store that borrows it this week write in it, and
the store that owns it is told; other stores still cannot."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from stories import services
from stories.guestbook import borrows, exchanged_store
from stories.models import Story
from tests.conftest import make_user


def entry(**kw) -> dict:
    return {"title": "Greetings from Lyon", "body": "Your window inspired us.", "language": "en"} | kw


@pytest.fixture
def exchange(cast):
    """This week's pair: Lyon's staff (hugo) and the Paris store whose guestbook Lyon borrows."""
    borrowed = exchanged_store(cast.lyon, timezone.localdate())
    other = cast.marais if borrowed == cast.paris else cast.paris
    return borrowed, other


class BorrowedGuestbookTests:
    def test_the_borrowing_store_writes_and_the_owners_are_told(self, client, cast, exchange):
        borrowed, _other = exchange
        colleague = make_user("zoe", store=borrowed, role="Staff")
        make_user("gone", store=borrowed, role="Staff", is_active=False)
        client.force_login(cast.hugo)
        own = client.get(reverse("stories:store", args=["lyon-bellecour"])).content.decode()
        assert f'href="/stores/{borrowed.slug}/?write=1#write"' in own
        page = client.get(reverse("stories:store", args=[borrowed.slug]), {"write": "1"})
        assert page.context["form"] is not None and page.context["borrowed"]
        assert "borrows this guestbook" in page.content.decode()
        response = client.post(reverse("stories:guestbook-write", args=[borrowed.slug]), entry())
        assert response.status_code == 302
        story = Story.objects.get()
        assert (story.kind, story.store, story.author) == ("guestbook", borrowed, cast.hugo)
        told = Notification.objects.filter(kind="guestbook")
        expected = {person.username for person in borrowed.members.filter(is_active=True)}
        assert {n.recipient.username for n in told} == expected and colleague.username in expected
        assert "Hugo Bernard (Lyon Bellecour) wrote in your store's guestbook: “Greetings from Lyon”." in {
            n.text for n in told
        }
        assert not told.filter(recipient=cast.hugo).exists()

    def test_a_store_that_does_not_borrow_it_gets_403_and_nothing_changes(self, client, cast, exchange):
        _borrowed, other = exchange
        client.force_login(cast.hugo)
        assert client.post(reverse("stories:guestbook-write", args=[other.slug]), entry()).status_code == 403
        assert client.get(reverse("stories:store", args=[other.slug])).context["form"] is None
        assert not Story.objects.exists() and not Notification.objects.exists()

    def test_only_this_week(self, cast, exchange):
        borrowed, _other = exchange
        today = timezone.localdate()
        weeks = [today + timedelta(weeks=n) for n in range(1, 4)]
        # Some other week Lyon reads another book: the right to write goes with the week.
        assert any(not borrows(cast.lyon.pk, borrowed, day) for day in weeks)
        assert borrows(cast.lyon.pk, borrowed, today)

    def test_a_head_office_person_borrows_nothing(self, cast, exchange):
        borrowed, _other = exchange
        head_office = make_user("siege", store=None, role="Staff")
        assert not services.can_write_guestbook(user=head_office, store=borrowed)

    def test_a_bad_entry_in_a_borrowed_guestbook_keeps_the_text(self, client, cast, exchange):
        borrowed, _other = exchange
        client.force_login(cast.hugo)
        response = client.post(reverse("stories:guestbook-write", args=[borrowed.slug]), entry(title="\x00"))
        assert response.status_code == 200
        assert "Your window inspired us." in response.content.decode()
        assert not Story.objects.exists() and not Notification.objects.exists()

    def test_own_staff_writing_tell_nobody(self, client, cast):
        client.force_login(cast.camille)
        client.post(reverse("stories:guestbook-write", args=["paris-opera"]), entry())
        assert Story.objects.get().store == cast.paris
        assert not Notification.objects.filter(kind="guestbook").exists()

    def test_in_french(self, client, cast, exchange):
        borrowed, _other = exchange
        client.force_login(cast.hugo)
        page = client.get(reverse("stories:store", args=[borrowed.slug]), headers={"accept-language": "fr"})
        assert "emprunte ce livre d’or" in page.content.decode()
