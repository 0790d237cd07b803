"""A small year of records for the leaderboard's tests: contracts of 青岛大学 and 中国海洋大学 in 2025 (and
one in 2024 for the change), achievements and a demand published in 2025, an entered statistic, a target with
an expert's comment, and the 2025 leaderboard (统计截至 30 November) saved and published. 2024 has a draft."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

from django.utils import timezone

from fanxing.deals.models import TechContract
from fanxing.reports import services
from fanxing.reports.models import Indicator
from tests.base import PersonasTestCase, make_achievement, make_demand

YEAR = 2025
DRAFT_YEAR = 2024


def make_contract(
    organisation: Any,
    number: str,
    kind: str,
    subkind: str,
    amount: str,
    signed_on: datetime.date,
    **fields: Any,
) -> TechContract:
    return TechContract.objects.create(
        number=number,
        title=f"{organisation.name}技术合同{number}",
        kind=kind,
        subkind=subkind,
        organisation=organisation,
        amount=Decimal(amount),
        signed_on=signed_on,
        **fields,
    )


def moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


class LeaderboardTestCase(PersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        services.indicators_sync()
        cls.qdu.code = "qdu"
        cls.qdu.save(update_fields=["code"])
        day = datetime.date
        make_contract(
            cls.qdu,
            "HT-2025-001",
            "licence",
            "ordinary",
            "120",
            day(YEAR, 3, 1),
            registration_status="registered",
            certified_amount=Decimal("110"),
            registered_on=day(YEAR, 3, 10),
        )
        make_contract(cls.qdu, "HT-2025-002", "development", "commissioned", "300.5", day(YEAR, 6, 1))
        make_contract(cls.ouc, "HT-2025-003", "transfer", "patent", "80", day(YEAR, 4, 1))
        make_contract(
            cls.qdu, "HT-2025-004", "licence", "exclusive", "999", day(YEAR, 12, 15)
        )  # after 统计截至
        make_contract(cls.qdu, "HT-2024-001", "licence", "ordinary", "50", day(YEAR - 1, 5, 1))
        make_achievement(cls.qdu, published_at=moment(day(YEAR, 5, 1)))
        make_achievement(cls.ouc, published_at=moment(day(YEAR, 7, 1)))
        make_demand(cls.haichuan, published_at=moment(day(YEAR, 8, 1)))
        code = Indicator.objects.get
        services.value_enter(
            by=cls.bureau_admin,
            indicator=code(code="stats.gdp"),
            year=YEAR,
            value=Decimal("512.3"),
            as_of=day(YEAR, 10, 1),
            source="区统计局快报",
        )
        target = services.target_save(
            by=cls.bureau_admin,
            indicator=code(code="contracts.all.amount"),
            year=YEAR,
            value=Decimal("400"),
        )
        services.comment_add(
            by=cls.expert,
            indicator=target.indicator,
            year=YEAR,
            target=target,
            text="合作项目占比偏高，转化项目还需加力",
        )
        board = services.leaderboard_save(
            by=cls.bureau_admin,
            year=YEAR,
            ends_on=day(YEAR, 11, 30),
            summary="崂山区科技成果转化年度榜单。",
        )
        services.leaderboard_publish(by=cls.bureau_admin, board=board)
        services.leaderboard_save(by=cls.bureau_admin, year=DRAFT_YEAR, ends_on=day(DRAFT_YEAR, 12, 31))


class DataAttributes(HTMLParser):
    """The figures of an HTML page as (data-key, data-value) in order, and the other data- attributes seen."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[tuple[str, str]] = []
        self.targets: dict[str, str] = {}
        self.organisations: list[str] = []
        self.scripts = 0
        self.links = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "data-key" in found and "data-value" in found:
            self.figures.append((found["data-key"], found["data-value"]))
        if "data-target" in found:
            self.targets[found["data-target"]] = found.get("data-verdict", "")
        if "data-organisation" in found:
            self.organisations.append(found["data-organisation"])
        self.scripts += tag == "script"
        self.links += tag == "link"


def page_figures(html: str) -> DataAttributes:
    parser = DataAttributes()
    parser.feed(html)
    return parser
