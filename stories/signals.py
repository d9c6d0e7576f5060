"""What stories tells other apps, which it may not import (practices keeps its counters from these)."""

from django.dispatch import Signal

# Sent with story_pk after a story's tried_count was recounted (stories.services._recount_tries).
tries_recounted = Signal()
