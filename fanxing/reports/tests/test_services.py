"""The writes of the governance loop refuse bad input naming the field (and write nothing, not even an audit
entry), and refuse those the rule does not allow."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from fanxing.core.models import AuditEntry
from fanxing.reports import selectors as s
from fanxing.reports import services
from fanxing.reports.models import Comment, IndicatorValue, Leaderboard, Target
from fanxing.reports.tests.base import YEAR, ReportsTestCase, day


class ServiceTestCase(ReportsTestCase):
    def assertRefused(self, field: str, write: Any, **arguments: Any) -> None:
        before = (
            IndicatorValue.objects.count(),
            Target.objects.count(),
            Comment.objects.count(),
            Leaderboard.objects.count(),
            AuditEntry.objects.count(),
        )
        with self.assertRaises(ValidationError) as caught:
            write(**arguments)
        self.assertIn(field, caught.exception.message_dict)
        after = (
            IndicatorValue.objects.count(),
            Target.objects.count(),
            Comment.objects.count(),
            Leaderboard.objects.count(),
            AuditEntry.objects.count(),
        )
        self.assertEqual(after, before)


class ValueEnterTest(ServiceTestCase):
    def enter(self, **changes: Any) -> dict[str, Any]:
        return {
            "by": self.bureau_admin,
            "indicator": self.indicator("stats.gdp"),
            "year": YEAR,
            "value": Decimal("512.3"),
            "as_of": day(10, 31),
            "source": "崂山区统计局",
        } | changes

    def test_the_bureau_enters_a_statistic_and_the_latest_before_the_end_is_the_years_value(self) -> None:
        services.value_enter(**self.enter(value=Decimal(400), as_of=day(6, 30)))
        services.value_enter(**self.enter())

        found = s.figure(self.indicator("stats.gdp"), YEAR)

        self.assertEqual((found.value, found.records), (Decimal("512.3"), 1))
        self.assertIn("崂山区统计局", found.source)

    def test_a_computed_indicator_takes_no_value(self) -> None:
        self.assertRefused(
            "indicator", services.value_enter, **self.enter(indicator=self.indicator("fanxing.events"))
        )

    def test_a_value_needs_its_source(self) -> None:
        self.assertRefused("source", services.value_enter, **self.enter(source="  "))

    def test_a_value_is_not_negative(self) -> None:
        self.assertRefused("value", services.value_enter, **self.enter(value=Decimal(-1)))

    def test_the_year_and_the_date_must_agree(self) -> None:
        self.assertRefused("year", services.value_enter, **self.enter(year=99))
        self.assertRefused("as_of", services.value_enter, **self.enter(as_of=day(1, 1, YEAR + 2)))

    def test_only_the_bureau_enters_values(self) -> None:
        for user in (self.expert, self.tto_admin, self.enterprise_user):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.value_enter(**self.enter(by=user))
        self.assertFalse(IndicatorValue.objects.exists())


class TargetSaveTest(ServiceTestCase):
    def target(self, **changes: Any) -> dict[str, Any]:
        return {
            "by": self.bureau_admin,
            "indicator": self.indicator("contracts.all.projects"),
            "year": YEAR,
            "value": Decimal(100),
        } | changes

    def test_the_bureau_sets_and_then_changes_a_target(self) -> None:
        services.target_save(**self.target())
        services.target_save(**self.target(value=Decimal(120), direction="at_most", tolerance=Decimal(5)))

        target = Target.objects.get()
        self.assertEqual((target.value, target.direction, target.tolerance), (120, "at_most", 5))

    def test_bad_targets_are_refused_naming_the_field(self) -> None:
        self.assertRefused("value", services.target_save, **self.target(value=Decimal(0)))
        self.assertRefused("tolerance", services.target_save, **self.target(tolerance=Decimal(150)))
        self.assertRefused("year", services.target_save, **self.target(year=1999))
        self.assertRefused("direction", services.target_save, **self.target(direction="sideways"))

    def test_only_the_bureau_sets_targets(self) -> None:
        for user in (self.expert, self.tto_admin):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.target_save(**self.target(by=user))
        self.assertFalse(Target.objects.exists())


class CommentAndLeaderboardTest(ServiceTestCase):
    def test_experts_and_the_bureau_comment_and_others_may_not(self) -> None:
        indicator = self.indicator("contracts.all.projects")
        for user in (self.expert, self.bureau_admin):
            services.comment_add(by=user, indicator=indicator, year=YEAR, text="建议关注技术开发合同的登记")
        for user in (self.tto_admin, self.enterprise_user, self.manager):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.comment_add(by=user, indicator=indicator, year=YEAR, text="意见")
        self.assertEqual(Comment.objects.count(), 2)

    def test_a_comment_needs_text_and_its_target_must_be_the_indicators(self) -> None:
        indicator = self.indicator("contracts.all.projects")
        other = services.target_save(
            by=self.bureau_admin, indicator=self.indicator("fanxing.events"), year=YEAR, value=Decimal(10)
        )
        arguments = {"by": self.expert, "indicator": indicator, "year": YEAR}
        self.assertRefused("text", services.comment_add, **arguments, text=" ")
        self.assertRefused("target", services.comment_add, **arguments, text="意见", target=other)

    def test_a_leaderboard_ends_within_its_year_and_only_the_bureau_saves_or_publishes_it(self) -> None:
        self.assertRefused(
            "ends_on", services.leaderboard_save, by=self.bureau_admin, year=YEAR, ends_on=day(1, 1, YEAR + 1)
        )
        with self.assertRaises(PermissionDenied):
            services.leaderboard_save(by=self.expert, year=YEAR, ends_on=day(11, 30))
        board = services.leaderboard_save(by=self.bureau_admin, year=YEAR, ends_on=day(11, 30))
        with self.assertRaises(PermissionDenied):
            services.leaderboard_publish(by=self.expert, board=board)
        services.leaderboard_publish(by=self.bureau_admin, board=board)

        self.assertIsNotNone(Leaderboard.objects.get().published_at)
        self.assertEqual(s.period_for(YEAR).end, day(11, 30))
