"""What the benchmark measures, in order. Add a Page to measure something new.

`path` and `body` are strings or callables that get the facts bench/prepare.py
gathered (story_id, username, published_stories...) and return a string, or None
when the page cannot be measured (no story to show, say). Non-GET pages are sent
with a CSRF cookie and the matching X-CSRFToken header, so a POST such as
`Page("vote", lambda f: f"/stories/{f['story_id']}/vote/", method="POST", body="",
ok_statuses=(200, 302))` works as is.

By default every request comes from camille; `as_voters=True` spreads them over
the bench voters (bench/prepare.py --voters), one after the other. `verify` names
a check in bench/checks.py run on the database after the load: a page whose
writes left it inconsistent fails.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Facts = dict[str, Any]
Text = str | Callable[[Facts], str | None]

CEILING = "ceiling"
# Sent by the cold pages: bench.middleware empties the cache before the request.
COLD = {"X-Bench-Cold": "1"}


@dataclass(frozen=True)
class Page:
    name: str
    path: Text
    method: str = "GET"
    body: Text | None = None
    content_type: str = "application/x-www-form-urlencoded"
    # Lowest acceptable req/s as a share of the ceiling's; None: measured for reference only.
    target: float | None = None
    # What the one check request before the load may answer (a 302 to the log-in
    # page is a failure for a page, not a fast response).
    ok_statuses: tuple[int, ...] = (200,)
    headers: dict[str, str] = field(default_factory=dict)
    as_voters: bool = False
    # Who sends the requests otherwise: the fact holding their session key (camille's;
    # "curator_session_key" for julien, a curator, on pages staff may not see).
    session: str = "session_key"
    verify: str | None = None

    def resolve_path(self, facts: Facts) -> str | None:
        return self.path(facts) if callable(self.path) else self.path

    def resolve_body(self, facts: Facts) -> str | None:
        return self.body(facts) if callable(self.body) else self.body


def story_path(facts: Facts) -> str | None:
    return f"/stories/{facts['story_id']}/" if facts.get("story_id") else None


def vote_path(facts: Facts) -> str | None:
    return f"/stories/{facts['story_id']}/vote/" if facts.get("story_id") else None


# Measured in rounds, each opening with the ceiling, and a last ceiling after the last round: a page's
# ratio in a round is to the ceilings just before and after it, and its result is the median over the
# rounds. On a shared machine whose speed drifts, a page is then compared with what the ceiling did
# around the same time, not minutes apart.
COMPARED: list[Page] = [
    Page(CEILING, "/bench/ceiling/"),
    # An empty page in the site's chrome: what any page costs before its own content.
    Page("empty page (chrome)", "/bench/chrome/"),
    Page("feed (hot)", "/stories/?sort=hot", target=0.50),
    Page("story", story_path, target=0.50),
    # The same pages for the first reader after a write: the cache is emptied before each request.
    Page("feed (hot), cold", "/stories/?sort=hot", target=0.20, headers=COLD),
    Page("story, cold", story_path, target=0.20, headers=COLD),
]


def store_path(facts: Facts) -> str | None:
    return f"/stores/{facts['store_slug']}/" if facts.get("store_slug") else None


def feed_store_path(facts: Facts) -> str | None:
    return f"/stories/?store={facts['store_slug']}" if facts.get("store_slug") else None


def profile_path(facts: Facts) -> str:
    return f"/people/{facts['username']}/"


# The targets (ratios to the ceiling): every page 0.30 warm and 0.15 cold; the feed (filtered
# too) and the story page 0.50 warm; every search 0.40 warm and 0.25 cold.
PAGE, PAGE_COLD = 0.30, 0.15
FEED = 0.50
SEARCH, SEARCH_COLD = 0.40, 0.25
# Words of the bench's data (bench/load_data.py and the demo): in a sixth of the stories, in a handful, misspelt.
COMMON_WORD, RARE_WORD, TYPO = "client", "terrasse", "parapluyes"


def warm_and_cold(name: str, path: Text, warm: float, cold: float, **options: Any) -> list[Page]:
    """The page as a reader finds it after another (warm), and as the first reader after a write (cold)."""
    return [
        Page(name, path, target=warm, **options),
        Page(f"{name}, cold", path, target=cold, **{**options, "headers": {**options.get("headers", {}), **COLD}}),
    ]


# Every page a person opens in a day, warm and cold, measured once each after the rounds: their ratios are to
# the mean of all the ceilings.
EVERY_PAGE: list[Page] = [
    *warm_and_cold("feed, pillar", "/stories/?pillar=be-positive", FEED, PAGE_COLD),
    *warm_and_cold("feed, store", feed_store_path, FEED, PAGE_COLD),
    *warm_and_cold("feed, top this month", "/stories/?sort=top&period=month", FEED, PAGE_COLD),
    *warm_and_cold("feed search, common", f"/stories/?q={COMMON_WORD}", SEARCH, SEARCH_COLD),
    *warm_and_cold("feed search, rare", f"/stories/?q={RARE_WORD}", SEARCH, SEARCH_COLD),
    *warm_and_cold("feed search, typo", f"/stories/?q={TYPO}", SEARCH, SEARCH_COLD),
    *warm_and_cold("library", "/library/", PAGE, PAGE_COLD),
    *warm_and_cold("library search, common", f"/library/?q={COMMON_WORD}", SEARCH, SEARCH_COLD),
    *warm_and_cold("library search, rare", f"/library/?q={RARE_WORD}", SEARCH, SEARCH_COLD),
    *warm_and_cold("library search, typo", f"/library/?q={TYPO}", SEARCH, SEARCH_COLD),
    # What the search box suggests after "para" (htmx, practices/library/views.py suggest).
    *warm_and_cold("suggestions", "/search/suggest/?q=para", SEARCH, SEARCH_COLD, headers={"HX-Request": "true"}),
    *warm_and_cold("store page", store_path, PAGE, PAGE_COLD),
    *warm_and_cold("profile", profile_path, PAGE, PAGE_COLD),
    *warm_and_cold("notifications", "/notifications/", PAGE, PAGE_COLD),
    *warm_and_cold("onboarding", "/onboarding/", PAGE, PAGE_COLD),
    # The managers' pages, as julien (a curator: staff get 403).
    *warm_and_cold("dashboard", "/dashboard/", PAGE, PAGE_COLD, session="curator_session_key"),
    *warm_and_cold("voice", "/voice/", PAGE, PAGE_COLD, session="curator_session_key"),
]

# Measured once, after the rounds, for reference: their ratios are to the mean of all the ceilings.
REFERENCE: list[Page] = [
    # Many people voting on one story at once, as htmx sends it (each request toggles
    # that person's vote); then the story's vote_count must equal its Vote rows.
    Page(
        "vote (many users)",
        vote_path,
        method="POST",
        body="",
        headers={"HX-Request": "true"},
        as_voters=True,
        verify="vote_count",
    ),
    Page("healthz", "/healthz"),
]
