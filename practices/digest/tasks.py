"""Background tasks (Django's tasks framework; settings.TASKS says where they run).

In the embedded default a task runs at once, in the process that enqueues it.
In production they wait in the database (django-tasks-db) until
`python manage.py db_worker` runs them, so a restart loses none.
"""

import logging
from datetime import date

from django.tasks import TaskResult, task

from practices.digest.services import BATCH_SIZE, Recipients, digest_recipients, digests_send_batch

logger = logging.getLogger(__name__)


@task()
def send_weekly_digests(user_ids: list[int], week: str) -> dict[str, int]:
    """Send the weekly digest of `week` (its Monday, ISO format) to these people: how many ended each way."""
    return digests_send_batch(user_ids=user_ids, week=date.fromisoformat(week))


def digests_enqueue(*, week: date, usernames: list[str] | None = None) -> tuple[Recipients, list[TaskResult]]:
    """Queue the week's digests in batches of BATCH_SIZE people; log those who have no address.

    People who already had this week's digest are not queued again (and would
    be skipped if they were).
    """
    recipients = digest_recipients(week=week, usernames=usernames)
    for person in recipients.no_email:
        logger.info("Weekly digest for %s (week of %s): skipped, no e-mail address.", person.username, week)
    ids = [person.pk for person in recipients.to_send]
    results = [
        send_weekly_digests.enqueue(user_ids=ids[i : i + BATCH_SIZE], week=week.isoformat())
        for i in range(0, len(ids), BATCH_SIZE)
    ]
    return recipients, results
