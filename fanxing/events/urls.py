from django.urls import path

from fanxing.events.views import organiser, participant, public

app_name = "events"
urlpatterns = [
    path("", public.events, name="list"),
    path("new/", organiser.event_edit, name="create"),
    path("<int:pk>/", public.event_detail, name="detail"),
    path("<int:pk>/edit/", organiser.event_edit, name="edit"),
    path("<int:pk>/publish/", organiser.event_publish, name="publish"),
    path("<int:pk>/close/", organiser.event_close, name="close"),
    path("<int:pk>/curation/", organiser.curation, name="curation"),
    path(
        "<int:pk>/curation/<int:invitation_pk>/<str:action>/",
        organiser.invitation_action,
        name="invitation_action",
    ),
    path("<int:pk>/registrations/", organiser.registrations, name="registrations"),
    path("<int:pk>/registrations/<int:registration_pk>/check-in/", organiser.check_in, name="check_in"),
    path("<int:pk>/requests/", organiser.meeting_requests, name="requests"),
    path("<int:pk>/schedule/", organiser.schedule, name="schedule"),
    path("<int:pk>/schedule/make/", organiser.schedule_make, name="schedule_make"),
    path("<int:pk>/register/", participant.register, name="register"),
    path("<int:pk>/my/requests/", participant.my_requests, name="my_requests"),
    path(
        "<int:pk>/requests/<int:request_pk>/<str:answer>/", participant.request_answer, name="request_answer"
    ),
    path("<int:pk>/my/agenda/", participant.my_agenda, name="agenda"),
    path("<int:pk>/my/availability/", participant.my_availability, name="availability"),
    path("<int:pk>/my/agenda.pdf", participant.my_agenda_pdf, name="agenda_pdf"),
    path("<int:pk>/my/agenda.ics", participant.my_agenda_ics, name="agenda_ics"),
    path("<int:pk>/meetings/<int:meeting_pk>/outcome/", participant.outcome, name="outcome"),
]
