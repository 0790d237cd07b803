"""Every access rule of the platform, in one place.

Views, API endpoints, exports and the CLI ask these functions; selectors use `visible_q` so lists
apply the same rule as detail pages.

- Bureau admins see and review everything.
- Editors (organisation admins, staff and enterprise users) create and change their own organisation's
  records; organisation admins also edit their organisation's profile.
- Signed-in users see published records that are public or for registered users; visitors only public ones.
- Confidential fields go to the owner organisation, bureau admins and users whose access request the
  owner granted.
- The people directories: 技术经理人 is seen by bureau admins, organisation admins and staff, and enterprise
  users; 专家库 by bureau admins and organisation admins and staff only. A manager or expert sees and edits
  their own profile; the bureau edits any and alone sets a manager's level.
- Recommendations about a record (推荐技术经理人, 推荐评审专家, 潜在需求企业) go to the record's own
  organisation and bureau admins.
- Technology contracts (技术合同): bureau admins see and change all; organisation admins and staff change
  their own organisation's contracts; members of an organisation that is a party to a contract read it;
  a technology manager reads the contracts linked to their leads.
- Leads (对接线索): bureau admins see, assign and work all; a technology manager sees and works (stages,
  activity log) the leads assigned to them; editors of the demand's or the achievement's organisation and
  the lead's creator follow its progress (read only).
- Inventor rewards (奖励发放): the contract organisation's admins and bureau admins record distributions
  and mark payouts paid; the organisation's staff also read them; the account named on a payout (成果完成人)
  reads that payout.
- Competitions (创新大赛): the organiser's admins and staff and bureau admins run a competition (its
  settings, judges, assignments, progress, results and awards); once opened anyone sees it, its awards once
  it is closed. Editors enter their own organisation's projects and read their entries. A judge reads and
  scores only the entries assigned to them (never one of their own organisation: core.review.conflicted).
- Proof of concept (概念验证): anyone reads the platform directory and the calls once opened; bureau admins
  keep platforms (a platform's host organisation's admins edit it); a call is run by bureau admins and by
  the admins and staff of the organisation hosting it (校长基金, a platform's call). Editors apply for their
  own organisation; an application is read by its organisation, those who run the call and its assigned
  experts; only the assigned expert scores it (never one of the applicant's organisation). Those who run
  the call see results, decide funding and accept milestones; the applicant's editors report milestones;
  both record the outcome.
- Events (对接活动): published (and closed) events are public; bureau admins manage every event, the
  organiser organisation's admins and staff manage theirs (edit, curation, check-in, schedule). Editors of
  an organisation register it; a registration's person and its organisation's editors act for it (meeting
  requests, their agenda) and record the outcomes of its meetings; the event's managers may too.
- Innovation platforms (创新平台): the register is published information, read by anyone. Bureau admins
  record and change any platform and keep the parks (专业化园区) and industry chains (产业链); the host
  organisation's office (its admins and staff) keeps its own platforms' description and technical fields
  (PLATFORM_OFFICE_FIELDS), never their level, type, host, years or status.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from fanxing.accounts.models import AccessRequest, Role, User
from fanxing.core.workflow import MOVES, Status, Visibility

AnyUser = User | AnonymousUser
EDITOR_ROLES = (Role.ORG_ADMIN, Role.ORG_STAFF, Role.ENTERPRISE)
# Who sees each people directory besides bureau admins (members of an organisation with these roles).
DIRECTORY_ROLES = {
    "managers": (Role.ORG_ADMIN, Role.ORG_STAFF, Role.ENTERPRISE),
    "experts": (Role.ORG_ADMIN, Role.ORG_STAFF),
}
PROFILE_ROLES = (Role.MANAGER, Role.EXPERT)
# An organisation's office: its admins and staff (a university's transfer office, an institute's), who keep
# its contracts and rewards and run its events, competitions and calls.
OFFICE_ROLES = (Role.ORG_ADMIN, Role.ORG_STAFF)


def is_admin(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_bureau_admin)


def is_member(user: AnyUser, organisation_id: int | None) -> bool:
    return bool(user.is_authenticated and user.organisation_id and user.organisation_id == organisation_id)


def is_office(user: AnyUser, organisation_id: int | None) -> bool:
    """Is this user an active admin or staff member of this organisation (OFFICE_ROLES)?"""
    return bool(user.is_authenticated and user.is_active and user.role in OFFICE_ROLES) and is_member(
        user, organisation_id
    )


def visible_q(user: AnyUser, *, expires: bool = False) -> Q:
    """Records this user may see. `expires` hides published records past their deadline (demands)."""
    if is_admin(user):
        return Q()
    levels = [Visibility.PUBLIC] + ([Visibility.REGISTERED] if user.is_authenticated else [])
    published = Q(status=Status.PUBLISHED, visibility__in=levels)
    if expires:
        published &= Q(deadline__gte=timezone.localdate())
    if user.is_authenticated and user.organisation_id:
        return published | Q(organisation_id=user.organisation_id)
    return published


def can_view(user: AnyUser, record: Any) -> bool:
    if is_admin(user) or is_member(user, record.organisation_id):
        return True
    if record.status != Status.PUBLISHED:
        return False
    if getattr(record, "deadline", None) and record.deadline < timezone.localdate():
        return False
    return record.visibility == Visibility.PUBLIC or (
        record.visibility == Visibility.REGISTERED and user.is_authenticated
    )


def can_create_for(user: AnyUser, organisation_id: int | None) -> bool:
    """May this user create a record owned by this organisation?"""
    if is_admin(user):
        return True
    return bool(user.is_authenticated and user.role in EDITOR_ROLES and is_member(user, organisation_id))


def can_edit(user: AnyUser, record: Any) -> bool:
    return can_create_for(user, record.organisation_id)


def can_move(user: AnyUser, record: Any, action: str) -> bool:
    """May this user make this workflow move on this record now?"""
    move = MOVES.get(action)
    if move is None or record.status not in move.sources:
        return False
    if move.by == "reviewer":
        return is_admin(user)
    if move.by == "owner":
        return can_edit(user, record)
    return False


def moves_for(user: AnyUser, record: Any) -> list[str]:
    return [action for action in MOVES if can_move(user, record, action)]


def can_see_confidential(user: AnyUser, record: Any) -> bool:
    if not user.is_authenticated:
        return False
    if is_admin(user) or is_member(user, record.organisation_id):
        return True
    return AccessRequest.objects.filter(
        requester=user,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        status=AccessRequest.Status.GRANTED,
    ).exists()


def confidential_grants(user: AnyUser, model: type) -> set[int]:
    """Ids of records of this model whose confidential fields were granted to this user (for lists)."""
    if not user.is_authenticated:
        return set()
    return set(
        AccessRequest.objects.filter(
            requester=user,
            content_type=ContentType.objects.get_for_model(model),
            status=AccessRequest.Status.GRANTED,
        ).values_list("object_id", flat=True)
    )


def can_request_access(user: AnyUser, record: Any) -> bool:
    return bool(user.is_authenticated and can_view(user, record) and not can_see_confidential(user, record))


def can_decide_access(user: AnyUser, record: Any) -> bool:
    return is_admin(user) or (
        user.is_authenticated and user.role in EDITOR_ROLES and is_member(user, record.organisation_id)
    )


def can_edit_organisation(user: AnyUser, organisation: Any) -> bool:
    return is_admin(user) or (
        user.is_authenticated and user.role == Role.ORG_ADMIN and is_member(user, organisation.pk)
    )


def can_create_organisation(user: AnyUser) -> bool:
    return is_admin(user)


def can_view_audit(user: AnyUser) -> bool:
    return is_admin(user)


def can_import(user: AnyUser) -> bool:
    return is_admin(user) or bool(
        user.is_authenticated and user.role in EDITOR_ROLES and user.organisation_id
    )


def can_manage_members(user: AnyUser, organisation_id: int | None) -> bool:
    """Organisation admins manage their own organisation's accounts; bureau admins any organisation's."""
    return is_admin(user) or bool(
        user.is_authenticated and user.role == Role.ORG_ADMIN and is_member(user, organisation_id)
    )


def can_view_directory(user: AnyUser, directory: str) -> bool:
    """May this user list the people of a directory ("managers" 技术经理人, "experts" 专家库)?"""
    return is_admin(user) or bool(
        user.is_authenticated and user.organisation_id and user.role in DIRECTORY_ROLES[directory]
    )


def can_view_profile(user: AnyUser, profile: Any) -> bool:
    """A person's own profile, or any profile of a directory this user may list."""
    own = user.is_authenticated and user.pk == profile.user_id
    return bool(own or can_view_directory(user, profile.DIRECTORY))


def has_own_profile(user: AnyUser) -> bool:
    """Technology managers and experts keep a profile of their specialties (我的专长)."""
    return bool(user.is_authenticated and user.is_active and user.role in PROFILE_ROLES)


def can_edit_profile(user: AnyUser, person: Any) -> bool:
    """A manager or expert edits their own profile; bureau admins edit anyone's."""
    return is_admin(user) or bool(has_own_profile(user) and user.pk == person.pk)


def can_set_manager_level(user: AnyUser) -> bool:
    """The level (初级/中级/高级) is certified by the bureau, not claimed by the manager."""
    return is_admin(user)


def can_grant_rights(user: AnyUser, achievement: Any) -> bool:
    """Grants of rights in a service achievement (赋权) are the unit's decision: its admins, or the bureau."""
    return is_admin(user) or bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.ORG_ADMIN
        and user.organisation_id == achievement.organisation_id
    )


def can_view_ledger(user: AnyUser, organisation: Any) -> bool:
    """A unit's ledger of service achievements (单列管理): its own members and the bureau."""
    return is_admin(user) or is_member(user, organisation.pk)


def can_manage_alliance(user: AnyUser) -> bool:
    """The alliance's members and their roles are kept by the bureau."""
    return is_admin(user)


def can_record_certificate(user: AnyUser) -> bool:
    """Certificates carry numbers issued by a certifying body: the bureau records them."""
    return is_admin(user)


def can_record_training(user: AnyUser, manager_user: Any) -> bool:
    """Training records: the bureau for anyone, a technology manager for themselves."""
    return is_admin(user) or bool(
        user.is_authenticated and user.is_active and user.role == "manager" and user.pk == manager_user.pk
    )


def can_see_recommendations(user: AnyUser, record: Any) -> bool:
    """推荐技术经理人, 推荐评审专家 and 潜在需求企业 of a record: its own organisation and bureau admins."""
    return is_admin(user) or is_member(user, record.organisation_id)


def contract_visible_q(user: AnyUser) -> Q:
    """Technology contracts this user may read: see the module's docstring."""
    from fanxing.deals.models import ContractParty  # deals imports this module

    if is_admin(user):
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    q = Q(lead__manager_id=user.pk) if user.role == Role.MANAGER else Q(pk__in=[])
    if user.organisation_id:
        party = ContractParty.objects.filter(contract_id=OuterRef("pk"), organisation_id=user.organisation_id)
        q |= Q(organisation_id=user.organisation_id) | Q(Exists(party))
    return q


def can_view_contract(user: AnyUser, contract: Any) -> bool:
    return type(contract).objects.filter(contract_visible_q(user), pk=contract.pk).exists()


def can_create_contract_for(user: AnyUser, organisation_id: int | None) -> bool:
    """May this user keep a contract on record for this organisation (its admins and staff, the bureau)?"""
    return is_admin(user) or is_office(user, organisation_id)


def can_edit_contract(user: AnyUser, contract: Any) -> bool:
    """Change a contract, its parties, registration, schedule and payments."""
    return can_create_contract_for(user, contract.organisation_id)


def is_active_manager(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.MANAGER)


def can_hand_over(user: AnyUser, demand: Any, achievement: Any) -> bool:
    """The bureau, or an editor of the demand's or the achievement's organisation, hands a match over."""
    return is_admin(user) or any(
        record is not None and can_edit(user, record) for record in (demand, achievement)
    )


def can_create_lead(user: AnyUser, demand: Any, achievement: Any) -> bool:
    """Those who may hand a match over, and technology managers (who then follow the lead up themselves)."""
    return can_hand_over(user, demand, achievement) or is_active_manager(user)


def lead_visible_q(user: AnyUser) -> Q:
    """Leads this user may read: see the module's docstring."""
    if is_admin(user):
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    q = Q(manager_id=user.pk) | Q(created_by_id=user.pk)
    if user.organisation_id and user.role in EDITOR_ROLES:
        org = user.organisation_id
        q |= Q(demand__organisation_id=org) | Q(achievement__organisation_id=org)
    return q


def can_work_lead(user: AnyUser, lead: Any) -> bool:
    """Move a lead's stage and log its activities: its manager, or the bureau."""
    return is_admin(user) or bool(is_active_manager(user) and lead.manager_id == user.pk)


def can_assign_lead(user: AnyUser) -> bool:
    """The automatic assignment is overridden by the bureau's admins."""
    return is_admin(user)


def can_record_reward(user: AnyUser, contract: Any) -> bool:
    """Record a contract's reward distribution and mark its payouts paid: the organisation's admins, the
    bureau."""
    return is_admin(user) or bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.ORG_ADMIN
        and is_member(user, contract.organisation_id)
    )


def can_view_rewards(user: AnyUser, organisation_id: int | None) -> bool:
    """Read an organisation's reward calculations, distributions and payout ledger (奖励发放台账): its
    admins and staff, the bureau."""
    return is_admin(user) or is_office(user, organisation_id)


def payout_visible_q(user: AnyUser) -> Q:
    """Reward payouts this user may read: the organisation's (its admins and staff), all (the bureau),
    and the payouts naming this user's own account."""
    if is_admin(user):
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    q = Q(user_id=user.pk)
    if user.role in OFFICE_ROLES and user.organisation_id:
        q |= Q(distribution__contract__organisation_id=user.organisation_id)
    return q


def can_run_competitions_for(user: AnyUser, organisation_id: int | None) -> bool:
    """Create a competition organised by this organisation: its admins and staff, the bureau."""
    return is_admin(user) or is_office(user, organisation_id)


def can_manage_competition(user: AnyUser, competition: Any) -> bool:
    """Settings, judges, assignments, scoring progress, results and awards of a competition."""
    return can_run_competitions_for(user, competition.organiser_id)


def competition_visible_q(user: AnyUser) -> Q:
    """Competitions this user may see: opened ones (报名中, 评审中, 已结束) for everyone; drafts for those who
    run them."""
    if is_admin(user):
        return Q()
    q = ~Q(status="draft")
    if user.is_authenticated and user.role in OFFICE_ROLES and user.organisation_id:
        q |= Q(organiser_id=user.organisation_id)
    return q


def can_enter_competition(user: AnyUser, organisation_id: int | None) -> bool:
    """Enter a project for this organisation (its editors), or for any (the bureau)."""
    return can_create_for(user, organisation_id)


def entry_visible_q(user: AnyUser) -> Q:
    """Entries this user may read: those who run the competition, the entering organisation's members, the
    judges they are assigned to."""
    if is_admin(user):
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    q = Q(assignments__judge__user_id=user.pk)
    if user.organisation_id:
        q |= Q(organisation_id=user.organisation_id)
        if user.role in OFFICE_ROLES:
            q |= Q(competition__organiser_id=user.organisation_id)
    return q


def can_score(user: AnyUser, assignment: Any) -> bool:
    """Only the judge an entry was assigned to scores it (the conflict of interest is re-checked by the
    service)."""
    return bool(user.is_authenticated and user.is_active and assignment.judge.user_id == user.pk)


def can_create_event_for(user: AnyUser, organisation_id: int | None) -> bool:
    """Hold an event as this organisation: its admins and staff, or the bureau."""
    return is_admin(user) or is_office(user, organisation_id)


def can_manage_event(user: AnyUser, event: Any) -> bool:
    """Edit, publish, curate, check in, schedule: the organiser's admins and staff, the bureau."""
    return can_create_event_for(user, event.organiser_id)


def event_visible_q(user: AnyUser) -> Q:
    """Events this user may read: published and closed ones, and drafts of events they manage."""
    if is_admin(user):
        return Q()
    q = Q(status__in=["published", "closed"])
    if user.is_authenticated and user.organisation_id and user.role in OFFICE_ROLES:
        q |= Q(organiser_id=user.organisation_id)
    return q


def can_view_event(user: AnyUser, event: Any) -> bool:
    return event.status != "draft" or can_manage_event(user, event)


def can_register(user: AnyUser, organisation_id: int | None) -> bool:
    """Register an organisation for an event: its editors (the bureau may register any organisation)."""
    return can_create_for(user, organisation_id)


def acts_for_registration(user: AnyUser, registration: Any) -> bool:
    """A registration's person and its organisation's editors: meeting requests, the agenda, outcomes."""
    if not user.is_authenticated:
        return False
    return user.pk == registration.person_id or can_create_for(user, registration.organisation_id)


def can_view_agenda(user: AnyUser, registration: Any) -> bool:
    return acts_for_registration(user, registration) or can_manage_event(user, registration.event)


def can_record_outcome(user: AnyUser, meeting: Any) -> bool:
    """The outcome of a meeting: either side's person or editors, or the event's managers."""
    return (
        acts_for_registration(user, meeting.registration_a)
        or acts_for_registration(user, meeting.registration_b)
        or can_manage_event(user, meeting.event)
    )


# Proof of concept (概念验证) ----------------------------------------------------------------------------


def can_edit_poc_platform(user: AnyUser, platform: Any | None) -> bool:
    """Create a platform (the bureau) or change one (the bureau, its host organisation's admins)."""
    if is_admin(user):
        return True
    return bool(
        platform is not None
        and user.is_authenticated
        and user.role == Role.ORG_ADMIN
        and is_member(user, platform.host_id)
    )


def can_create_poc_call(user: AnyUser, host_id: int | None) -> bool:
    """The bureau for any call; an organisation's admins and staff for a call their organisation hosts."""
    return is_admin(user) or is_office(user, host_id)


def can_manage_poc_call(user: AnyUser, call: Any) -> bool:
    """Edit, open and run a call: assignments, progress, results, funding, milestones' acceptance."""
    return can_create_poc_call(user, call.host_id)


def poc_call_visible_q(user: AnyUser) -> Q:
    """Calls this user may see: opened ones (申报中, 评审中, 已决定) for everyone; drafts for those who run
    them."""
    if is_admin(user):
        return Q()
    q = ~Q(status="draft")
    if user.is_authenticated and user.role in OFFICE_ROLES and user.organisation_id:
        q |= Q(host_id=user.organisation_id)
    return q


def can_apply_poc(user: AnyUser, organisation_id: int | None) -> bool:
    """Apply to a call for this organisation: its editors (admins, staff, enterprise users), the bureau."""
    return can_create_for(user, organisation_id)


def poc_application_visible_q(user: AnyUser) -> Q:
    """Applications this user may read: the bureau all; the applicant organisation's members; the admins
    and staff of the organisation hosting the call; the experts assigned to review it."""
    if is_admin(user):
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    q = Q(assignments__reviewer_id=user.pk)
    if user.organisation_id:
        q |= Q(applicant_id=user.organisation_id)
        if user.role in OFFICE_ROLES:
            q |= Q(call__host_id=user.organisation_id)
    return q


def can_edit_poc_application(user: AnyUser, application: Any) -> bool:
    """Report milestones, withdraw, record an outcome: the applicant organisation's editors, the bureau."""
    return can_create_for(user, application.applicant_id)


def can_review_poc(user: AnyUser, assignment: Any) -> bool:
    """Only the expert assigned scores an application (the bureau does not score in their place; the
    conflict of interest is re-checked by the service)."""
    return bool(user.is_authenticated and user.is_active and assignment.reviewer_id == user.pk)


# Innovation platforms (创新平台) -------------------------------------------------------------------------

# What the host organisation's office may change on its own platforms (the bureau changes everything).
PLATFORM_OFFICE_FIELDS = ("description", "fields")


def can_edit_platform(user: AnyUser, platform: Any | None) -> bool:
    """Record a platform (`None`: the bureau) or change one (the bureau; its host's office, in part)."""
    if is_admin(user):
        return True
    return platform is not None and is_office(user, platform.host_id)


def platform_editable_fields(user: AnyUser, platform: Any | None) -> tuple[str, ...] | None:
    """The fields this user may change on this platform: None for all (the bureau), () for none."""
    if is_admin(user):
        return None
    return PLATFORM_OFFICE_FIELDS if can_edit_platform(user, platform) else ()


def can_edit_parks(user: AnyUser) -> bool:
    """Parks and industry chains are kept by the bureau."""
    return is_admin(user)


# Indicators and the leaderboard -----------------------------------------------------------------------------


def can_view_indicators(user: AnyUser) -> bool:
    """The dashboard, indicators, targets and evaluations: the bureau, and the experts it consults (咨询)."""
    return is_admin(user) or bool(user.is_authenticated and user.is_active and user.role == Role.EXPERT)


def can_manage_indicators(user: AnyUser) -> bool:
    """Define indicators, enter statistics, set targets, prepare and publish the leaderboard: the bureau."""
    return is_admin(user)


def can_comment_indicators(user: AnyUser) -> bool:
    """Comment on targets and results (咨询): the bureau and the experts."""
    return can_view_indicators(user)


def can_view_organisation_figures(user: AnyUser, organisation_id: int | None) -> bool:
    """An organisation's figures page: the bureau, the experts, and the organisation's office."""
    return can_view_indicators(user) or is_office(user, organisation_id)


def can_view_leaderboard(user: AnyUser, leaderboard: Any) -> bool:
    """A published leaderboard is public; a draft is for the bureau and the experts."""
    return leaderboard.published_at is not None or can_view_indicators(user)
