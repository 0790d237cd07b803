"""Import pages: download the template, upload a file, watch the dry run, confirm the import.

Every upload is first checked in a dry run (a background job the page polls with HTMX); only a clean
dry run offers "确认导入", which imports the same stored file in a second job.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from fanxing.accounts import permissions
from fanxing.core.io import KINDS, TabularError, get_kind, may_import, template_response
from fanxing.core.io.kinds import Kind
from fanxing.core.io.uploads import import_job, upload_store
from fanxing.core.jobs import job_start, job_state
from fanxing.core.models import Job
from fanxing.core.tabular import megabytes

JOB_KIND = "import"
SHOWN_PROBLEMS = 1000


class ImportForm(forms.Form):
    """The file to import."""

    file = forms.FileField(label="选择文件", help_text=".xlsx 或 .csv")


def _kind(name: str) -> Kind:
    try:
        return get_kind(name)
    except ValueError:
        raise Http404("没有这种导入类型") from None


@login_required
def io_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The import template of a kind: headers, a valid example row, and the notes on every column."""
    return template_response(_kind(kind).name, request.user)


@login_required
@require_http_methods(["GET", "POST"])
def io_import(request: HttpRequest, kind: str = "achievements") -> HttpResponse:
    """Upload a file for a dry run, or (with `job`) confirm a clean dry run to import it."""
    spec = _kind(kind)
    if not may_import(request.user, spec):
        raise PermissionDenied(f"您的角色无权导入{spec.label}")
    form = ImportForm()
    if request.method == "POST" and "job" in request.POST:
        return _confirm(request, spec)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                path = upload_store(upload)
            except TabularError as error:
                form.add_error("file", str(error))
            else:
                params = {"kind": spec.name, "path": str(path), "dry_run": True, "filename": upload.name}
                job = job_start(kind=JOB_KIND, owner=request.user, params=params, function=import_job)
                return redirect("core:io_job", job.pk)
    kinds = [k for k in KINDS.values() if may_import(request.user, k)]
    return render(
        request,
        "io/import.html",
        {
            "spec": spec,
            "kinds": kinds,
            "form": form,
            "section": "workspace",
            "max_size": megabytes(settings.FANXING_MAX_UPLOAD_BYTES),
            "recent": _recent_jobs(request),
        },
    )


def _recent_jobs(request: HttpRequest) -> list[Job]:
    return list(Job.objects.filter(owner=request.user, kind=JOB_KIND).order_by("-created_at")[:5])


def _confirm(request: HttpRequest, spec: Kind) -> HttpResponse:
    checked = _own_job(request, request.POST.get("job", ""))
    params = checked.params
    if not (params.get("dry_run") and params.get("kind") == spec.name and checked.result.get("ok")):
        raise PermissionDenied("只有校验通过的文件才能确认导入")
    job = job_start(
        kind=JOB_KIND,
        owner=request.user,
        params={**params, "dry_run": False, "checked_by": checked.pk},
        function=import_job,
    )
    return redirect("core:io_job", job.pk)


def _own_job(request: HttpRequest, pk: str | int) -> Job:
    job = get_object_or_404(Job, pk=int(pk) if str(pk).isdigit() else 0, kind=JOB_KIND)
    if job.owner_id != request.user.pk and not permissions.is_admin(request.user):
        raise Http404("没有这个导入任务")
    return job


@login_required
def io_job(request: HttpRequest, pk: int) -> HttpResponse:
    """An import job's progress and then its result; HTMX polls the partial every second while it runs."""
    job = job_state(_own_job(request, pk))
    spec = _kind(job.params.get("kind", ""))
    result = job.result or {}
    context = {
        "job": job,
        "spec": spec,
        "result": result,
        "section": "workspace",
        "running": job.status in (Job.Status.QUEUED, Job.Status.RUNNING),
        "problems": result.get("problems", [])[:SHOWN_PROBLEMS],
        "more_problems": max(0, result.get("problem_count", 0) - SHOWN_PROBLEMS),
        "dry_run": job.params.get("dry_run", True),
    }
    template = "io/_job.html" if request.htmx else "io/job.html"
    return render(request, template, context)
