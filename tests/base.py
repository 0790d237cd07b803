"""Shared personas and factories for every app's tests.

Personas (built once per test class):
- bureau_admin: the district science bureau's administrator
- tto_admin, tto_staff: the technology-transfer office of 青岛大学 (a university)
- other_staff: staff of 中国海洋大学, another university
- enterprise_user: an engineer of 青岛海川科技有限公司; outsider: a user of an unrelated enterprise
- manager, expert: a technology manager and an expert reviewer, with no organisation
"""

import datetime
import io
import itertools
from decimal import Decimal
from typing import Any

from django.test import TestCase
from django.utils import timezone
from openpyxl import load_workbook

from fanxing.accounts.models import Role, User
from fanxing.achievements.models import Achievement
from fanxing.core.models import ConversionWay, Organisation, Region, TechField
from fanxing.core.workflow import Status, Visibility
from fanxing.demands.models import Demand
from fanxing.managers.models import ExpertProfile, ManagerProfile

PASSWORD = "Fanxing-test-2026"
# Every persona, and "anonymous" for a visitor: the rows of the permission matrices.
PERSONAS = [
    "anonymous",
    "bureau_admin",
    "tto_admin",
    "tto_staff",
    "other_staff",
    "enterprise_user",
    "outsider",
    "manager",
    "expert",
]
_seq = itertools.count(1)


def make_user(username: str, role: str, organisation: Organisation | None = None) -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, role=role, organisation=organisation, display_name=username
    )


def make_organisation(name: str, kind: str = Organisation.Kind.UNIVERSITY) -> Organisation:
    return Organisation.objects.create(name=name, kind=kind, region=Region.objects.get(code="370212"))


def make_achievement(organisation: Organisation, **fields: Any) -> Achievement:
    n = next(_seq)
    values: dict[str, Any] = {
        "ref": f"CG-T{n:05d}",
        "title": f"海水养殖尾水处理技术{n}",
        "summary": "一种基于微生物的养殖尾水处理方法，降低氨氮与亚硝酸盐。",
        "field": TechField.objects.get(code="marine.fishery"),
        "trl": 6,
        "status": Status.PUBLISHED,
        "visibility": Visibility.PUBLIC,
        "published_at": timezone.now(),
        "price_min": Decimal("50"),
        "price_max": Decimal("80"),
        "contact_name": "张老师",
        "contact_phone": "0532-85950001",
        "contact_email": "zhang@example.edu.cn",
        "confidential_details": "菌种保藏编号 CGMCC 12345",
        "keywords": "尾水处理，微生物",
    }
    values.update(fields)
    ways = values.pop("ways", ["licence"])
    record = Achievement.objects.create(organisation=organisation, **values)
    record.ways.set(ConversionWay.objects.filter(code__in=ways))
    return record


def make_demand(organisation: Organisation, **fields: Any) -> Demand:
    n = next(_seq)
    values: dict[str, Any] = {
        "ref": f"XQ-T{n:05d}",
        "title": f"寻求养殖尾水达标排放技术{n}",
        "problem": "我公司对虾养殖场尾水氨氮超标，需要低成本处理工艺。",
        "wanted_effect": "氨氮低于 2 mg/L",
        "field": TechField.objects.get(code="marine.fishery"),
        "min_trl": 5,
        "status": Status.PUBLISHED,
        "visibility": Visibility.PUBLIC,
        "published_at": timezone.now(),
        "budget_min": Decimal("30"),
        "budget_max": Decimal("100"),
        "deadline": timezone.localdate() + datetime.timedelta(days=90),
        "contact_name": "李经理",
        "contact_phone": "0532-88880001",
        "keywords": "尾水，氨氮",
    }
    values.update(fields)
    ways = values.pop("ways", ["licence"])
    record = Demand.objects.create(organisation=organisation, **values)
    record.ways.set(ConversionWay.objects.filter(code__in=ways))
    return record


def make_profile(
    user: User, fields: list[str], specialties: str, **values: Any
) -> ManagerProfile | ExpertProfile:
    """A manager's or an expert's profile (by the user's role) in the fields with these codes."""
    if user.role == Role.MANAGER:
        profile: ManagerProfile | ExpertProfile = ManagerProfile.objects.create(
            user=user, specialties=specialties, **values
        )
    else:
        profile = ExpertProfile.objects.create(
            user=user, specialties=specialties, **{"title": "教授", "affiliation": "中国海洋大学"} | values
        )
    profile.specialty_fields.set(TechField.objects.filter(code__in=fields))
    return profile


def make_personas(into: Any) -> None:
    """The organisations and personas, set as attributes of `into` (a test class, or any object)."""
    into.bureau = make_organisation("崂山区科学技术局", Organisation.Kind.GOVERNMENT)
    into.qdu = make_organisation("青岛大学")
    into.ouc = make_organisation("中国海洋大学")
    into.haichuan = make_organisation("青岛海川科技有限公司", Organisation.Kind.ENTERPRISE)
    into.other_enterprise = make_organisation("青岛远帆电子有限公司", Organisation.Kind.ENTERPRISE)
    into.bureau_admin = make_user("bureau_admin", Role.BUREAU_ADMIN, into.bureau)
    into.tto_admin = make_user("tto_admin", Role.ORG_ADMIN, into.qdu)
    into.tto_staff = make_user("tto_staff", Role.ORG_STAFF, into.qdu)
    into.other_staff = make_user("other_staff", Role.ORG_STAFF, into.ouc)
    into.enterprise_user = make_user("enterprise_user", Role.ENTERPRISE, into.haichuan)
    into.outsider = make_user("outsider", Role.ENTERPRISE, into.other_enterprise)
    into.manager = make_user("manager", Role.MANAGER)
    into.expert = make_user("expert", Role.EXPERT)


class PersonasTestCase(TestCase):
    """A TestCase with the platform's personas and one record of each kind per owner."""

    @classmethod
    def setUpTestData(cls) -> None:
        make_personas(cls)

    def login(self, user: User) -> None:
        self.client.force_login(user)

    def as_user(self, name: str) -> None:
        """Sign in as a persona by name (or out, for "anonymous")."""
        self.client.logout()
        if name != "anonymous":
            self.login(getattr(self, name))

    def statuses(self, url: str, method: str = "get", data: dict[str, str] | None = None) -> dict[str, int]:
        """The status each persona gets for a request."""
        found = {}
        for name in PERSONAS:
            self.as_user(name)
            found[name] = getattr(self.client, method)(url, data or {}).status_code
        return found


def sheet(response: Any) -> list[tuple[Any, ...]]:
    """The rows of an exported workbook's first sheet (a plain or a streamed response)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
