"""The participant's pages: register with the records brought, request and answer meetings, my agenda as
a page, a printable PDF and a calendar file, and the outcome form of a meeting."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_POST

from fanxing.accounts import permissions
from fanxing.core.forms import add_service_error, error_text
from fanxing.core.io import table_response
from fanxing.events import documents, services
from fanxing.events.forms import AvailabilityForm, MeetingRequestForm, OutcomeForm, RegistrationForm
from fanxing.events.models import Event, Meeting, MeetingRequest, Registration
from fanxing.events.selectors import agenda, event_get, registration_of, requests_of
from fanxing.events.views.organiser import (
    MEETING_COLUMNS,
    REQUEST_COLUMNS,
    meeting_row,
    request_rows,
)


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_get(request.user, pk)
    organisation = request.user.organisation  # type: ignore[union-attr]
    form = RegistrationForm(request.POST or None, organisation=organisation, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_create(by=request.user, event=event, **form.cleaned_data)  # type: ignore[arg-type]
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "报名成功，可在“我的洽谈”中预约洽谈")
            return redirect("events:detail", event.pk)
    return render(request, "events/register.html", {"event": event, "form": form, "section": "events"})


def own_registration(request: HttpRequest, event: Event) -> Registration:
    """The registration this user acts for; an organiser may name one (?registration=ID)."""
    wanted = request.GET.get("registration")
    if wanted and permissions.can_manage_event(request.user, event):
        return get_object_or_404(event.registrations.select_related("organisation", "event"), pk=wanted)
    mine = registration_of(request.user, event)
    if mine is None or not permissions.acts_for_registration(request.user, mine):
        raise Http404("您所在的机构未报名该活动")
    return mine


@login_required
def my_requests(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting requests made and received by the user's registration; a new one by POST."""
    event = event_get(request.user, pk)
    mine = own_registration(request, event)
    form = MeetingRequestForm(request.POST or None, mine=mine)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_request(
                by=request.user,  # type: ignore[arg-type]
                from_registration=mine,
                to_registration=form.cleaned_data["to_registration"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "洽谈预约已发出")
            return redirect("events:my_requests", event.pk)
    rows = requests_of(event).filter(from_registration=mine) | requests_of(event).filter(to_registration=mine)
    if request.GET.get("export") == "xlsx":
        return table_response(f"{event.title} 我的洽谈预约", REQUEST_COLUMNS, request_rows(rows))
    context = {
        "event": event,
        "mine": mine,
        "form": form,
        "requests": rows,
        "REQUESTED": MeetingRequest.Status.REQUESTED,
    }
    return render(request, "events/requests.html", context | {"section": "events"})


@login_required
@require_POST
def request_answer(request: HttpRequest, pk: int, request_pk: int, answer: str) -> HttpResponse:
    event = event_get(request.user, pk)
    meeting_request = get_object_or_404(MeetingRequest, pk=request_pk, event=event)
    try:
        services.meeting_request_answer(by=request.user, request=meeting_request, accept=answer == "accept")  # type: ignore[arg-type]
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "已接受预约" if answer == "accept" else "已拒绝预约")
    if permissions.can_manage_event(request.user, event):
        return redirect("events:requests", event.pk)
    return redirect("events:my_requests", event.pk)


def agenda_of(request: HttpRequest, pk: int) -> tuple[Event, Registration, list[Meeting]]:
    event = event_get(request.user, pk)
    mine = own_registration(request, event)
    if not permissions.can_view_agenda(request.user, mine):
        raise PermissionDenied("无权查看该日程")
    return event, mine, agenda(mine)


@login_required
def my_availability(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting slots the user's registration cannot attend (an organiser may name one, as on the agenda)."""
    event = event_get(request.user, pk)
    mine = own_registration(request, event)
    initial = {"unavailable_slots": mine.unavailable_slots}
    form = AvailabilityForm(request.POST or None, event=event, initial=initial)
    query = f"?registration={mine.pk}" if request.GET.get("registration") else ""
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_availability_set(
                by=request.user,  # type: ignore[arg-type]
                registration=mine,
                slots=form.cleaned_data["unavailable_slots"],
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "已保存不能参加的时段；主办方重新排程时按此安排")
            return redirect(f"{reverse('events:agenda', args=[event.pk])}{query}")
    context = {"event": event, "mine": mine, "form": form, "query": query, "section": "events"}
    return render(request, "events/availability.html", context)


@login_required
def my_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    event, mine, meetings = agenda_of(request, pk)
    if request.GET.get("export") == "xlsx":
        return table_response(
            f"{mine.organisation} 洽谈日程", MEETING_COLUMNS, (meeting_row(event, m) for m in meetings)
        )
    rows = [(m, m.other(mine), event.slot_start(m.slot), event.slot_end(m.slot)) for m in meetings]
    query = f"registration={mine.pk}" if request.GET.get("registration") else ""
    context = {"event": event, "mine": mine, "rows": rows, "query": query}
    return render(request, "events/agenda.html", context | {"section": "events"})


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


@login_required
def my_agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    event, mine, meetings = agenda_of(request, pk)
    return download(
        documents.agenda_pdf(event, mine, meetings), "application/pdf", f"{event.title}-洽谈日程.pdf"
    )


@login_required
def my_agenda_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event, mine, meetings = agenda_of(request, pk)
    return download(
        documents.agenda_ics(event, mine, meetings), "text/calendar; charset=utf-8", f"{event.title}.ics"
    )


@login_required
def outcome(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """The outcome of one meeting, by either side or the organiser; an interest opens a lead."""
    event = event_get(request.user, pk)
    meeting = get_object_or_404(
        Meeting.objects.select_related(
            "registration_a__organisation", "registration_b__organisation", "event"
        ),
        pk=meeting_pk,
        event=event,
    )
    if not permissions.can_record_outcome(request.user, meeting):
        raise PermissionDenied("只有洽谈双方或主办方可以记录洽谈结果")
    form = OutcomeForm(
        request.POST or None,
        meeting=meeting,
        initial={"outcome": meeting.outcome, "note": meeting.outcome_note},
    )
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            meeting = services.meeting_outcome(by=request.user, meeting=meeting, **data)  # type: ignore[arg-type]
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            lead = f"，已生成对接线索（{meeting.lead.manager or '待分配'} 跟进）" if meeting.lead else ""
            messages.success(request, f"洽谈结果已记录{lead}")
            return redirect("events:detail", event.pk)
    return render(
        request,
        "events/outcome.html",
        {"event": event, "meeting": meeting, "form": form, "section": "events"},
    )
