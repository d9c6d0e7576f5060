"""Python function calls per request (cProfile) for the feed and a story page, warm and cold.

Run by bench/run.py with the benchmark's environment, in one process beside gunicorn:

    python bench/calls.py '{"session_key": "...", "story_id": 123}'

Each page is requested once to warm it, then once profiled as it is (warm) and once with
`X-Bench-Cold: 1` (bench/middleware.py empties the cache first: cold). Prints one JSON object
on its last line: {"feed": {"warm": calls, "cold": calls}, "story": {...}}.
"""

import cProfile
import json
import os
import pstats
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from bench.pages import COLD  # noqa: E402


def calls(client: Client, path: str, headers: dict[str, str]) -> int:
    profile = cProfile.Profile()
    profile.enable()
    response = client.get(path, headers=headers)
    profile.disable()
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return pstats.Stats(profile).total_calls


def main() -> None:
    facts = json.loads(sys.argv[1])
    client = Client(SERVER_NAME="127.0.0.1")
    client.cookies["sessionid"] = facts["session_key"]
    client.cookies["django_language"] = "en"
    pages = {"feed": "/stories/?sort=hot"}
    if facts.get("story_id"):
        pages["story"] = f"/stories/{facts['story_id']}/"
    result = {}
    for name, path in pages.items():
        client.get(path)
        result[name] = {"warm": calls(client, path, {}), "cold": calls(client, path, COLD)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
