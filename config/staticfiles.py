"""Static files in production: whitenoise's compressed, hashed files, with each URL worked out once per process."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's storage, remembering each file's URL.

    The manifest of hashed names is read when the process starts and does not change
    while it runs, so neither does a URL; working one out took about a hundred calls,
    four times on every page (`{% static %}` in base.html).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url
