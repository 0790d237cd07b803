"""Uploaded import files and the background job that imports them (for the web UI).

The file is kept under MEDIA_ROOT/imports/ with a random name between the dry run and the commit the
person confirms; it is deleted after a successful commit, and files older than a day are swept.
"""

import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile

from fanxing.core.io.importing import MAX_STORED_PROBLEMS, records_import
from fanxing.core.jobs import job_finish, job_progress
from fanxing.core.models import Job
from fanxing.core.tabular import TabularError, file_format, megabytes

KEEP_SECONDS = 24 * 3600


def upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def upload_store(upload: UploadedFile) -> Path:
    """Check an uploaded file's type and size and keep it for the import job; TabularError if refused."""
    fmt = file_format(upload.name or "")
    if not upload.size:
        raise TabularError("文件是空的")
    limit = settings.FANXING_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise TabularError(
            f"文件大小 {megabytes(upload.size)}，超过上限 {megabytes(limit)}；请拆分后分批导入"
        )
    directory = upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _sweep(directory)
    path = directory / f"{uuid.uuid4().hex}.{fmt}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def _sweep(directory: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for old in directory.glob("*.*"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def import_job(job: Job) -> dict[str, Any]:
    """Job function: import the stored file as the job's owner (dry run or commit, as the params say)."""
    path = Path(job.params["path"])
    if not path.exists():
        return {"error": "上传的文件已过期或已导入，请重新上传"}
    try:
        report = records_import(
            job.params["kind"],
            path,
            by=job.owner,
            dry_run=job.params["dry_run"],
            progress=lambda done, total: job_progress(job, done, total),
            # the job is done in the same transaction as the records: a worker dying at any moment leaves
            # both or neither, so a job marked failed for its lost worker wrote nothing and may run again
            before_commit=lambda report: job_finish(job, report.as_dict(max_problems=MAX_STORED_PROBLEMS)),
        )
    except (TabularError, PermissionDenied) as error:
        return {"error": str(error)}
    if report.committed:
        path.unlink(missing_ok=True)
    return report.as_dict(max_problems=MAX_STORED_PROBLEMS)
