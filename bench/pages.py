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

# Measured once, after the rounds, for reference: their ratios are to the mean of all the ceilings.
REFERENCE: list[Page] = [
    # A French word misspelt by a letter and in the plural: full-text match plus the trigram word list.
    Page("library search", "/library/?q=parapluyes"),
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
    # The managers' dashboard (aggregates over the last 28 days, julien's region first), as julien.
    Page("dashboard", "/dashboard/", session="curator_session_key"),
    Page("healthz", "/healthz"),
]
