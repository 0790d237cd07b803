"""Indicators synced from the formulas, and small factories for the records they count (the reports tests
work in 2024, a year without a leaderboard: its period is the calendar year and it is over)."""

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fanxing.core.models import Organisation
from fanxing.deals.models import CONTRACT_TYPES, TechContract
from fanxing.platforms.models import Park, Platform, PlatformType
from fanxing.reports.models import Indicator
from fanxing.reports.services import indicators_sync
from tests.base import PersonasTestCase

YEAR = 2024
_seq = itertools.count(1)


def day(month: int, dom: int = 15, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, dom)


def moment(month: int, dom: int = 15, year: int = YEAR) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, dom, 10, 0))


def make_contract(
    organisation: Organisation,
    kind: str = "licence",
    amount: str = "100",
    signed_on: Any = None,
    **fields: Any,
) -> TechContract:
    n = next(_seq)
    return TechContract.objects.create(
        number=f"HT-R{n:04d}",
        title=f"海水养殖尾水处理技术合同{n}",
        kind=kind,
        subkind=CONTRACT_TYPES[kind][0],
        organisation=organisation,
        amount=Decimal(amount),
        signed_on=signed_on or day(6),
        **fields,
    )


def make_platform(
    host: Organisation, level: str = "national", recognised_year: int = 2020, **fields: Any
) -> Platform:
    n = next(_seq)
    kind, _ = PlatformType.objects.get_or_create(name="重点实验室")
    return Platform.objects.create(
        name=f"海洋药物重点实验室{n}",
        level=level,
        kind=kind,
        host=host,
        recognised_year=recognised_year,
        **fields,
    )


def make_park(name: str = "崂山区海洋生物医药产业园") -> Park:
    return Park.objects.create(name=name)


class ReportsTestCase(PersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        indicators_sync()

    @staticmethod
    def indicator(code: str) -> Indicator:
        return Indicator.objects.select_related("numerator", "denominator").get(code=code)
