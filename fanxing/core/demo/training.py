"""The district's corps of technology managers (技术经理人): 294 trained in 2025, as the seed report says.

The 20 demo managers of people.py are joined by the others of the corps, generated: a name from the
catalogue's surnames and given names, a level (初级 most, 高级 few), where they work (the demo's
institutions' technology-transfer centres, agencies, PoC platforms, enterprises), specialty fields. Their
accounts are inactive (they do not sign in, so the directory and the people index list only the 20 demo
managers). Each manager started in a year by level, took the course of each level reached, topic courses
most years, and attended at least one session in 2025 (continuing education for those certified earlier);
most hold the certificate of their level. Every choice comes from a `random.Random` seeded with SEED.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType

from fanxing.accounts.models import Role, User
from fanxing.core.demo.catalogue import (
    GIVEN,
    INSTITUTIONS,
    OTHER_ORGANISATIONS,
    STAFF_NAMES,
    SURNAMES,
)
from fanxing.core.demo.people import EXPERTS, MANAGERS
from fanxing.core.models import AuditEntry, TechField
from fanxing.core.reference import TECH_FIELDS
from fanxing.managers.models import Certificate, ManagerProfile, TrainingRecord
from fanxing.managers.selectors import training_by_year

if TYPE_CHECKING:
    from fanxing.core.demo.loader import DemoContext

SEED = "fanxing-demo-2025:training"
TRAINED_2025 = 294  # the report's 培育技术经理人 294 人: managers with a training record in 2025
LAST_DAY = date(2025, 11, 30)  # the report's date
LEVELS = (("junior", 62), ("intermediate", 28), ("senior", 10))
LEVEL_ORDER = ("junior", "intermediate", "senior")
LEVEL_LABELS = dict(ManagerProfile.Level.choices)
# The year a manager of this level started (took the junior course): weights per year.
START_YEARS = {
    "junior": {2024: 1, 2025: 4},
    "intermediate": {2022: 1, 2023: 2, 2024: 2},
    "senior": {2021: 2, 2022: 1},
}
LEVEL_COURSES = {
    "junior": ("技术经理人初级培训", Decimal(48), "青岛市技术市场服务中心"),
    "intermediate": ("技术经理人中级培训", Decimal(64), "山东省技术市场协会"),
    "senior": ("技术经理人高级研修班", Decimal(80), "中国技术市场协会"),
}
TOPIC_COURSES = (
    ("技术合同认定登记实务", Decimal(8), "青岛市技术市场服务中心"),
    ("科技成果评价与作价入股专题", Decimal(16), "崂山区科学技术局"),
    ("知识产权运营与专利许可实务", Decimal(12), "青岛星桥知识产权代理有限公司"),
    ("概念验证项目管理", Decimal(8), "崂山区人工智能与虚拟现实概念验证中心"),
    ("科技金融与投融资对接", Decimal(12), "崂山科创成果转化投资基金管理有限公司"),
    ("职务科技成果单列管理政策解读", Decimal(4), "崂山区科学技术局"),
)
CONTINUING = ("技术经理人继续教育", Decimal(24), "崂山区技术经理人协会")
CERTIFICATE_ISSUER = "中国技术市场协会"
SERVICES = ("技术评估", "专利许可谈判", "技术合同登记", "概念验证", "投融资对接", "中试熟化", "需求挖掘")
PREFIX = "tm"  # usernames tm021–tm294


@dataclass(frozen=True)
class Course:
    course: str
    hours: Decimal
    date: date
    provider: str


@dataclass(frozen=True)
class ManagerPlan:
    """One manager of the corps: who (new ones only carry a profile to create), courses and certificates."""

    username: str
    name: str
    level: str
    affiliation: str
    fields: tuple[str, ...]
    specialties: str
    bio: str
    courses: tuple[Course, ...]
    certificates: tuple[tuple[str, str, date], ...]  # number, level, issued on
    new: bool


def sessions(rng: random.Random) -> dict[tuple[str, int], list[date]]:
    """The dates each course ran each year: level courses three to five times, topic courses twice."""
    table = {}
    for year in range(2021, 2026):
        end = LAST_DAY if year == 2025 else date(year, 12, 20)
        for name, *_ in (*LEVEL_COURSES.values(), *TOPIC_COURSES, CONTINUING):
            runs = 4 if name in {c[0] for c in LEVEL_COURSES.values()} else 2
            days = sorted(
                date(year, 3, 1) + timedelta(days=rng.randint(0, (end - date(year, 3, 1)).days))
                for _ in range(runs)
            )
            table[(name, year)] = days
    return table


def course_in(rng: random.Random, table: dict[tuple[str, int], list[date]], spec: tuple[str, Decimal, str],
              year: int, after: date | None = None) -> Course | None:  # fmt: skip
    """A session of the course in the year (after the given day, when given), None if there is none."""
    name, hours, provider = spec
    days = [d for d in table[(name, year)] if after is None or d > after]
    return Course(name, hours, rng.choice(days), provider) if days else None


def plan_courses(rng: random.Random, table: dict[tuple[str, int], list[date]], level: str) -> tuple[list[Course], list[tuple[str, date]]]:  # fmt: skip
    """A manager's courses from the start year to 2025 and the certificates they earned (level, issued on)."""
    years, weights = zip(*START_YEARS[level].items(), strict=True)
    start = rng.choices(years, weights)[0]
    reached = LEVEL_ORDER[: LEVEL_ORDER.index(level) + 1]
    courses: list[Course] = []
    earned: list[tuple[str, date]] = []
    year, after = start, None
    for grade in reached:  # each level's course a year or two after the last, in a later session
        course = course_in(rng, table, LEVEL_COURSES[grade], year, after)
        if course is None:  # no session left that year
            break
        courses.append(course)
        year, after = min(2025, year + rng.randint(1, 2)), course.date
        issued = course.date + timedelta(days=rng.randint(20, 45))
        if issued <= LAST_DAY and rng.random() < 0.85:
            earned.append((grade, issued))
    first = courses[0].date
    for topic_year in range(start, 2026):  # topic courses once trained
        topic = (
            course_in(rng, table, rng.choice(TOPIC_COURSES), topic_year, first)
            if rng.random() < 0.6
            else None
        )
        if topic:
            courses.append(topic)
    if not any(c.date.year == 2025 for c in courses):
        continuing = course_in(rng, table, CONTINUING, 2025, first) or course_in(rng, table, CONTINUING, 2025)
        assert continuing is not None
        courses.append(continuing)
    return sorted(set(courses), key=lambda c: c.date), earned


def affiliations(enterprises: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Where the corps work, with the industry they serve when it is known ("" if any): the institutions'
    transfer centres, agencies and PoC platforms (three times as likely), the demo's enterprises."""
    places = [f"{spec.name}技术转移中心" if spec.kind == "university" else spec.name for spec in INSTITUTIONS]
    places += [spec.name for spec in OTHER_ORGANISATIONS if spec.kind in ("agency", "poc")]
    return [(place, "") for place in places] * 3 + enterprises


def unique_names(rng: random.Random, count: int) -> list[str]:
    taken = {p.name for p in (*MANAGERS, *EXPERTS)} | set(STAFF_NAMES)
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def pick_fields(rng: random.Random, industry: str) -> tuple[tuple[str, ...], str]:
    """One to three fields of one industry (the given one, else any) and the 专长 in words."""
    areas = [area for area in TECH_FIELDS if area[2]]
    _, label, children = rng.choice([a for a in areas if a[1] == industry] or areas)
    chosen = rng.sample(children, min(len(children), rng.randint(1, 3)))
    words = [name for _, name in chosen] + rng.sample(SERVICES, 2)
    return tuple(code for code, _ in chosen), f"{label}：" + "、".join(words)


def plan_training(enterprises: list[tuple[str, str]]) -> list[ManagerPlan]:
    """The 20 demo managers (courses and certificates only) and the generated others, 294 in all;
    `enterprises` are the demo's (name, industry)."""
    rng = random.Random(SEED)
    table = sessions(rng)
    plans = []
    for spec in MANAGERS:
        courses, earned = plan_courses(rng, table, spec.grade)
        plans.append(ManagerPlan(spec.username, spec.name, spec.grade, spec.affiliation, spec.fields,
                                 spec.specialties, spec.bio, tuple(courses), numbered(earned, len(plans)), False))  # fmt: skip
    places = affiliations(enterprises)
    names, weights = zip(*LEVELS, strict=True)
    for name in unique_names(rng, TRAINED_2025 - len(MANAGERS)):
        level = rng.choices(names, weights)[0]
        courses, earned = plan_courses(rng, table, level)
        place, industry = rng.choice(places)
        fields, specialties = pick_fields(rng, industry)
        bio = f"{courses[0].date.year} 年参加{LEVEL_COURSES['junior'][0]}，在{place}从事科技成果转化服务。"
        plans.append(
            ManagerPlan(
                f"{PREFIX}{len(plans) + 1:03d}", name, level, place, fields, specialties, bio,
                tuple(courses), numbered(earned, len(plans)), True,
            )
        )  # fmt: skip
    return plans


def numbered(earned: list[tuple[str, date]], person: int) -> tuple[tuple[str, str, date], ...]:
    return tuple(
        (f"JSJL{issued.year}{LEVEL_ORDER.index(grade) + 1}{person + 1:04d}", grade, issued)
        for grade, issued in earned
    )


def load_training(ctx: "DemoContext") -> str:
    """The generated managers (inactive accounts, profiles), everyone's training records and certificates."""
    plans = plan_training(sorted((e.name, e.industry) for e in ctx.data.enterprises))
    created = create_managers([p for p in plans if p.new])
    profiles = dict(
        ManagerProfile.objects.filter(user__username__in=[p.username for p in plans]).values_list(
            "user__username", "id"
        )
    )
    trained = set(
        TrainingRecord.objects.filter(manager_id__in=profiles.values()).values_list("manager_id", flat=True)
    )
    records = [
        TrainingRecord(
            manager_id=profiles[p.username], course=c.course, hours=c.hours, date=c.date, provider=c.provider
        )
        for p in plans
        if p.username in profiles and profiles[p.username] not in trained
        for c in p.courses
    ]
    for record in records:
        record.full_clean(exclude=["manager"])
    TrainingRecord.objects.bulk_create(records, batch_size=1000)
    existing = set(Certificate.objects.values_list("number", flat=True))
    certificates = [
        Certificate(
            manager_id=profiles[p.username],
            name=f"技术经理人能力评价证书（{LEVEL_LABELS[grade]}）",
            number=number,
            level=grade,
            issuer=CERTIFICATE_ISSUER,
            issued_on=issued,
            expires_on=issued.replace(year=issued.year + 4) - timedelta(days=1),
        )
        for p in plans
        if p.username in profiles
        for number, grade, issued in p.certificates
        if number not in existing
    ]
    Certificate.objects.bulk_create(certificates, batch_size=1000)
    year = next((y for y in training_by_year() if y.year == 2025), None)
    return (
        f"新建技术经理人 {created} 位（账号未启用），培训记录 {len(records)} 条，证书 {len(certificates)} 张；"
        f"2025 年参加培训 {year.trained if year else 0} 人，{year.hours if year else 0} 学时"
    )


def create_managers(plans: list[ManagerPlan]) -> int:
    """Inactive manager accounts and their profiles with specialty fields, for those not there yet."""
    existing = set(
        User.objects.filter(username__in=[p.username for p in plans]).values_list("username", flat=True)
    )
    todo = [p for p in plans if p.username not in existing]
    unusable = make_password(None)
    users = [
        User(username=p.username, role=Role.MANAGER, display_name=p.name, is_active=False, password=unusable)
        for p in todo
    ]
    for user in users:  # the database checks the constraints
        user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    User.objects.bulk_create(users, batch_size=1000)
    ids = dict(User.objects.filter(username__in=[p.username for p in todo]).values_list("username", "id"))
    for user in users:
        user.pk = ids[user.username]
    profiles = [
        ManagerProfile(
            user=user, level=p.level, affiliation=p.affiliation, specialties=p.specialties, bio=p.bio
        )
        for user, p in zip(users, todo, strict=True)
    ]
    for profile in profiles:  # clean() checks the account's role on the user in memory
        profile.full_clean(exclude=["user"], validate_unique=False)
    ManagerProfile.objects.bulk_create(profiles, batch_size=1000)
    made = dict(ManagerProfile.objects.filter(user_id__in=ids.values()).values_list("user__username", "id"))
    fields = TechField.objects.in_bulk(field_name="code")
    ManagerProfile.specialty_fields.through.objects.bulk_create(
        ManagerProfile.specialty_fields.through(
            managerprofile_id=made[p.username], techfield_id=fields[code].pk
        )
        for p in todo
        for code in p.fields
    )
    content_type = ContentType.objects.get_for_model(ManagerProfile)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=None,
            action="create",
            content_type=content_type,
            object_id=made[p.username],
            target_repr=p.name,
            changes={"specialty_fields": [None, sorted(p.fields)]},
            reason="演示数据",
        )
        for p in todo
    )
    return len(todo)
