"""The demo's platform register: 339 platforms at city level and above in force in 2025 (the seed report's
figure), the 13 proof-of-concept platforms among them, and a second load that creates nothing."""

from django.test import TestCase

from fanxing.core.demo import poc
from fanxing.core.demo.loader import STEPS, DemoContext, Step, load_demo
from fanxing.platforms.models import IndustryChain, Park, Platform
from fanxing.platforms.selectors import city_and_above_count, counted_q
from fanxing.poc.models import PocPlatform

# Only what the platforms need: organisations, and the PoC step's platforms without its calls.
POC_PLATFORMS = Step("poc", "概念验证平台", lambda ctx: str(len(poc.load_platforms(ctx))))


def steps() -> list[Step]:
    named = {s.name: s for s in STEPS}
    return [named["reference"], named["organisations"], POC_PLATFORMS, named["platforms"]]


class DemoPlatformsTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.ctx: DemoContext = load_demo(steps=steps())

    def test_339_platforms_at_city_level_and_above_are_in_force_in_2025(self) -> None:
        self.assertEqual(city_and_above_count(2025), 339)
        counted = Platform.objects.filter(counted_q(2025))
        levels = {
            level: counted.filter(level=level).count() for level in ("national", "provincial", "municipal")
        }
        self.assertEqual(levels, {"national": 30, "provincial": 110, "municipal": 199})
        self.assertFalse(counted.filter(recognised_year__gt=2025).exists())
        self.assertFalse(counted.filter(recognised_year__lt=2005).exists())

    def test_the_13_poc_platforms_are_among_them_as_proof_of_concept_platforms(self) -> None:
        pocs = PocPlatform.objects.select_related("platform__kind")
        self.assertEqual(pocs.count(), 13)
        for item in pocs:
            with self.subTest(item.name):
                self.assertEqual(item.platform.name, item.name)
                self.assertEqual(item.platform.kind.name, "概念验证平台")
                self.assertEqual(item.platform.level, item.level)
                self.assertEqual(item.platform.host_id, item.host_id)
                self.assertEqual(item.platform.recognised_year, item.recognised_year)
        self.assertEqual(Platform.objects.filter(counted_q(2025), poc__isnull=False).count(), 13)

    def test_district_and_revoked_platforms_exist_but_do_not_count(self) -> None:
        self.assertGreaterEqual(Platform.objects.filter(level="district").count(), 3)
        revoked = Platform.objects.filter(status="revoked", revoked_year=2023)
        self.assertEqual(revoked.count(), 2)
        self.assertEqual(Platform.objects.filter(counted_q(2022), pk__in=revoked).count(), 2)
        self.assertFalse(Platform.objects.filter(counted_q(2025), pk__in=revoked).exists())

    def test_most_platforms_are_in_a_park_and_on_a_chain_of_the_seed(self) -> None:
        self.assertEqual(Park.objects.count(), 4)
        self.assertEqual(
            set(IndustryChain.objects.values_list("name", flat=True)),
            {"虚拟现实", "人工智能", "海洋生物医药", "智能制造及工业互联网"},
        )
        total = Platform.objects.count()
        self.assertGreater(Platform.objects.filter(chain__isnull=False).count(), total / 2)
        self.assertGreater(Platform.objects.filter(park__isnull=False).count(), total / 2)
        self.assertFalse(Platform.objects.filter(fields__isnull=True).exists())

    def test_loading_again_creates_nothing(self) -> None:
        before = Platform.objects.count(), Park.objects.count(), IndustryChain.objects.count()
        load_demo(steps=steps())
        self.assertEqual(
            (Platform.objects.count(), Park.objects.count(), IndustryChain.objects.count()), before
        )
