"""The production storage of static files remembers each URL; the manifest still decides it."""

import json

import pytest

from config.staticfiles import StaticFilesStorage


@pytest.fixture
def storage(tmp_path):
    manifest = {"version": "1.1", "paths": {"css/site.css": "css/site.0123abcd.css"}, "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


class StaticFilesStorageTests:
    def test_a_url_is_the_hashed_name_from_the_manifest_every_time(self, storage):
        assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
        storage.hashed_files = {}  # worked out once: the manifest does not change while a process runs
        assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"

    def test_a_file_missing_from_the_manifest_is_still_an_error(self, storage):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
        with pytest.raises(ValueError):
            storage.url("css/missing.css")
