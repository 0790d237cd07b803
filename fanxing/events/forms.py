"""Forms of the event pages: the event, a registration with the records brought, a meeting request, a
meeting's outcome. They parse; the services check everything again."""

from typing import Any

from django import forms

from fanxing.achievements.models import Achievement
from fanxing.core.models import Organisation, TechField
from fanxing.core.workflow import Status
from fanxing.demands.models import Demand
from fanxing.events.models import Event, Meeting, Registration
from fanxing.events.services import EVENT_FIELDS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    """The event; the organiser is chosen by bureau admins only (others hold events as their organisation)."""

    class Meta:
        model = Event
        fields = [*EVENT_FIELDS[:3], "theme_fields", *EVENT_FIELDS[3:]]
        widgets = {
            "theme": forms.Textarea(attrs={"rows": 3}),
            "theme_fields": forms.SelectMultiple(attrs={"size": 8}),
            **{
                name: DATETIME
                for name in (
                    "starts_at",
                    "ends_at",
                    "registration_opens",
                    "registration_closes",
                    "first_slot_at",
                )
            },
        }

    def __init__(self, *args: Any, may_choose_organiser: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme_fields"].queryset = TechField.objects.filter(active=True).select_related("parent")  # type: ignore[attr-defined]
        if may_choose_organiser:
            self.fields["organiser"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]
        else:
            del self.fields["organiser"]

    def _post_clean(self) -> None:  # the service validates the model (with the organiser it decides)
        pass


def slots_field(event: Event) -> forms.TypedMultipleChoiceField:
    """The event's meeting slots as check boxes (第 n 时段 HH:MM–HH:MM), read as slot numbers from 0."""
    return forms.TypedMultipleChoiceField(
        label="不能参加的洽谈时段",
        choices=[(slot, event.slot_label(slot)) for slot in range(event.slot_count)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="勾选贵单位不能参加一对一洽谈的时段，排程不会在这些时段安排洽谈；不勾选表示都可以",
    )


class AvailabilityForm(forms.Form):
    """The slots a participant cannot attend, changed after registering."""

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unavailable_slots"] = slots_field(event)


class RegistrationForm(forms.Form):
    """The organisation's published achievements and demands it brings, and the meeting slots it cannot
    attend (when the event has one-to-one meetings)."""

    achievements = forms.ModelMultipleChoiceField(
        label="带来的成果",
        queryset=Achievement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    demands = forms.ModelMultipleChoiceField(
        label="带来的需求",
        queryset=Demand.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, organisation: Organisation | None = None, event: Event | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if event is not None and event.slot_count:
            self.fields["unavailable_slots"] = slots_field(event)
        org = organisation.pk if organisation else None
        self.fields["achievements"].queryset = Achievement.objects.filter(  # type: ignore[attr-defined]
            organisation_id=org, status=Status.PUBLISHED
        )
        self.fields["demands"].queryset = Demand.objects.filter(organisation_id=org, status=Status.PUBLISHED)  # type: ignore[attr-defined]
        for name, label in (("achievements", "成果"), ("demands", "需求")):  # often none on one side
            if not self.fields[name].queryset.exists():  # type: ignore[attr-defined]
                self.fields[name].help_text = f"本机构尚无已发布的{label}，可不选"


class MeetingRequestForm(forms.Form):
    to_registration = forms.ModelChoiceField(label="预约对象", queryset=Registration.objects.none())
    note = forms.CharField(label="留言", max_length=200, required=False)

    def __init__(self, *args: Any, mine: Registration | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Registration.objects.none()
        if mine is not None:
            qs = mine.event.registrations.exclude(organisation_id=mine.organisation_id).select_related(
                "organisation"
            )
        self.fields["to_registration"].queryset = qs  # type: ignore[attr-defined]
        self.fields["to_registration"].label_from_instance = lambda r: r.organisation.name  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="洽谈结果", choices=Meeting.Outcome.choices)
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    demand = forms.ModelChoiceField(label="涉及需求", queryset=Demand.objects.none(), required=False)
    achievement = forms.ModelChoiceField(
        label="涉及成果", queryset=Achievement.objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sides = [meeting.registration_a_id, meeting.registration_b_id]
        self.fields["demand"].queryset = Demand.objects.filter(event_registrations__in=sides).distinct()  # type: ignore[attr-defined]
        self.fields["achievement"].queryset = Achievement.objects.filter(  # type: ignore[attr-defined]
            event_registrations__in=sides
        ).distinct()
        self.fields["demand"].initial = meeting.demand_id
        self.fields["achievement"].initial = meeting.achievement_id
