"""The path progress page's tables scroll sideways on a small phone: a keyboard reaches and scrolls them, and
axe finds nothing (scrollable-region-focusable was its last serious finding)."""

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import Store
from practices.onboarding import services as onboarding
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import make_user
from tests.factories import make_standard

pytestmark = pytest.mark.django_db(transaction=True)
SMALL_PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}


def test_the_progress_tables_are_keyboard_scrollable_regions(new_page, cast):
    long_store = Store.objects.create(
        name="Boutique-de-la-Gare-Saint-Lazare-Passage-du-Havre-Niveau-Moins-Un",
        slug="saint-lazare",
        region=cast.paris.region,
        city="Paris",
    )
    make_user("nouvelle", store=long_store, role=roles.NEW_HIRES, display_name="Anne-Sophie-Marie-Christine")
    path = onboarding.path_create(
        curator=cast.julien, title="First weeks", audience=Group.objects.get(name=roles.NEW_HIRES)
    )
    onboarding.path_step_add(path=path, standard=make_standard(cast.julien))
    page = new_page(device=SMALL_PHONE)
    log_in(page, "julien")
    page.goto(f"/onboarding/paths/{path.pk}/progress/")
    region = page.get_by_role("region", name="Progress by store")
    assert region.get_attribute("tabindex") == "0"
    scrolls = region.evaluate("(node) => node.scrollWidth > node.clientWidth")
    assert scrolls  # the case the rule is about
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.progress-by-store').parentElement.scrollLeft > 0")
    assert page.get_by_role("region", name="Progress by person").get_attribute("tabindex") == "0"
    assert_accessible(page)
    assert page.console_errors == []
