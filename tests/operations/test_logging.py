"""Request ids, JSON log lines, and Sentry only when it is configured."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.logging import JsonFormatter
from tests.operations.test_errors import console_log

ROOT = Path(__file__).resolve().parents[2]


def manage_shell(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SENTRY_DSN", "LOG_FORMAT"}}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=ROOT,
        env={**clean, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.django_db
class RequestIdTests:
    def test_nginxs_request_id_is_kept_and_sent_back(self, client, cast):
        client.force_login(cast.camille)
        response = client.get("/", headers={"x-request-id": "0f3c2a9d8e7b6a5c"})
        assert response["X-Request-ID"] == "0f3c2a9d8e7b6a5c"

    def test_a_missing_or_odd_id_is_replaced(self, client):
        for headers in [{}, {"x-request-id": "bad id; rm -rf"}, {"x-request-id": "x" * 100}]:
            given = headers.get("x-request-id")
            answered = client.get("/healthz", headers=headers)["X-Request-ID"]
            assert len(answered) == 32 and answered != given

    def test_log_lines_of_a_request_carry_its_id_as_json(self, client, cast):
        client.force_login(cast.camille)
        handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
        previous = handler.formatter
        handler.setFormatter(JsonFormatter())
        try:
            with console_log() as log:
                client.get("/dashboard/", headers={"x-request-id": "req-42"})
        finally:
            handler.setFormatter(previous)
        entry = json.loads(log.getvalue().splitlines()[0])
        assert entry["request_id"] == "req-42"
        assert entry["level"] == "WARNING" and entry["status"] == 403
        assert entry["message"] == "Forbidden (Permission denied): /dashboard/"


class LogFormatTests:
    def test_log_format_json_writes_one_object_per_line(self):
        result = manage_shell("import logging; logging.getLogger('stories').warning('café %s', 1)", LOG_FORMAT="json")
        entry = json.loads(result.stderr.strip().splitlines()[-1])
        assert entry["message"] == "café 1" and entry["logger"] == "stories" and entry["request_id"] == ""

    def test_a_traceback_stays_inside_its_json_line(self):
        code = "import logging\ntry:\n    1/0\nexcept ZeroDivisionError:\n    logging.getLogger('x').exception('boom')"
        result = manage_shell(code, LOG_FORMAT="json")
        entry = json.loads(result.stderr.strip().splitlines()[-1])
        assert "ZeroDivisionError" in entry["exception"]


class SentryTests:
    CHECK = "import sentry_sdk; c = sentry_sdk.get_client(); print(c.is_active(), c.options.get('send_default_pii'))"

    def test_it_is_off_without_a_dsn(self):
        assert manage_shell(self.CHECK).stdout.split()[0] == "False"

    def test_it_is_on_with_a_dsn_and_sends_no_personal_data(self):
        result = manage_shell(self.CHECK, SENTRY_DSN="http://public@127.0.0.1:9/1")
        assert result.stdout.split() == ["True", "False"]
