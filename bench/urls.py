"""The site's URLs plus the benchmark's ceiling page (ROOT_URLCONF=bench.urls)."""

from django.urls import path

import config.urls
from bench.views import ceiling, chrome

urlpatterns = [
    path("bench/ceiling/", ceiling, name="bench-ceiling"),
    path("bench/chrome/", chrome, name="bench-chrome"),
    *config.urls.urlpatterns,
]
