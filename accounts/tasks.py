"""Background tasks of accounts (Django's tasks framework; settings.TASKS says where they run).

The admin's roster upload checks the file, then applies it, in a task: in the
embedded default at once, in the request; in production in `db_worker`, while the
page polls the upload's status.
"""

import io
import logging

from django.tasks import task
from django.utils import translation

from accounts.models import RosterUpload
from accounts.roster import roster_import

logger = logging.getLogger(__name__)

REPORTED_CHANGES = 500  # lines of changes kept with an upload (the counts are always complete)


@task()
def roster_upload_process(upload_id: int, apply: bool) -> str:
    """Check (apply=False: a dry run) or apply an uploaded roster; the outcome goes on the upload. Its status."""
    upload = RosterUpload.objects.get(pk=upload_id)
    try:
        with translation.override(upload.language):
            report = roster_import(
                file=io.BytesIO(bytes(upload.content)),
                filename=upload.filename,
                dry_run=not apply,
                deactivate_missing=upload.deactivate_missing,
            )
            summary = report.as_dict()
            summary["more_changes"] = max(0, len(summary["changes"]) - REPORTED_CHANGES)
            summary["changes"] = summary["changes"][:REPORTED_CHANGES]
            summary["change_count"] = report.change_count
    except Exception:
        logger.exception("Roster upload %s (%s) failed.", upload.pk, upload.filename)
        RosterUpload.objects.filter(pk=upload.pk).update(status=RosterUpload.Status.FAILED, content=b"")
        raise
    if report.errors:
        status = RosterUpload.Status.INVALID
    else:
        status = RosterUpload.Status.APPLIED if apply else RosterUpload.Status.CHECKED
    fields = {"status": status, "report": summary}
    if status != RosterUpload.Status.CHECKED:
        fields["content"] = b""  # nothing more to do with the file: do not keep people's details
    RosterUpload.objects.filter(pk=upload.pk).update(**fields)
    return status
