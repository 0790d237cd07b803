"""A small register on top of the personas: two parks and chains, and platforms of 青岛大学, 中国海洋大学 and
青岛海川科技 at every level, one of them revoked."""

from typing import Any

from fanxing.core.models import TechField
from fanxing.platforms.models import IndustryChain, Park, Platform, PlatformType
from tests.base import PersonasTestCase


def make_platform(name: str, host: Any, **fields: Any) -> Platform:
    values: dict[str, Any] = {
        "level": Platform.Level.MUNICIPAL,
        "kind": PlatformType.objects.get(name="重点实验室"),
        "recognised_year": 2018,
    }
    values.update(fields)
    platform = Platform.objects.create(name=name, host=host, **values)
    platform.fields.set(TechField.objects.filter(code="marine"))
    return platform


class PlatformTestCase(PersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.park = Park.objects.create(name="崂山区海洋生物医药产业园", theme="海洋生物医药")
        cls.other_park = Park.objects.create(name="崂山区人工智能产业园", theme="人工智能")
        cls.chain = IndustryChain.objects.create(name="海洋生物医药")
        cls.other_chain = IndustryChain.objects.create(name="人工智能")
        kinds = PlatformType.objects.in_bulk(field_name="name")
        cls.lab = make_platform(
            "海洋药物全国重点实验室",
            cls.qdu,
            level=Platform.Level.NATIONAL,
            kind=kinds["全国重点实验室"],
            recognised_year=2010,
            park=cls.park,
            chain=cls.chain,
            description="海洋药物研发",
        )
        cls.provincial = make_platform(
            "山东省海洋观测重点实验室",
            cls.ouc,
            level=Platform.Level.PROVINCIAL,
            kind=kinds["省重点实验室"],
            recognised_year=2020,
        )
        cls.centre = make_platform(
            "青岛海川科技有限公司技术中心",
            cls.haichuan,
            kind=kinds["企业技术中心"],
            recognised_year=2015,
            park=cls.other_park,
            chain=cls.other_chain,
        )
        cls.district = make_platform(
            "崂山区海洋微生物重点实验室", cls.qdu, level=Platform.Level.DISTRICT, recognised_year=2022
        )
        cls.revoked = make_platform(
            "青岛市海洋糖工程重点实验室",
            cls.qdu,
            recognised_year=2012,
            status=Platform.Status.REVOKED,
            revoked_year=2023,
        )
