"""The site's URLs plus the benchmark's ceiling page (ROOT_URLCONF=bench.urls)."""

from django.urls import path

import config.urls
from bench.views import ceiling

urlpatterns = [
    path("bench/ceiling/", ceiling, name="bench-ceiling"),
    *config.urls.urlpatterns,
]
