"""Grants of rights in service achievements (赋权) and the unit's ledger (单列管理)."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fanxing.achievements.models import RightsGrant
from fanxing.achievements.selectors import service_ledger
from fanxing.achievements.services import rights_grant_add
from fanxing.core.models import AuditEntry
from tests.base import PersonasTestCase, make_achievement

OWNERSHIP = {
    "kind": "ownership",
    "grantees": "张海、李青",
    "share": Decimal("70"),
    "granted_on": date(2025, 3, 1),
}


class RightsGrantTest(PersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.shrimp = make_achievement(cls.qdu, title="对虾养殖尾水微生物处理技术")

    def test_the_units_admin_grants_ownership_with_an_audit_entry(self) -> None:
        grant = rights_grant_add(by=self.tto_admin, achievement=self.shrimp, fields=OWNERSHIP)
        self.assertEqual(list(self.shrimp.rights_grants.all()), [grant])
        self.assertTrue(AuditEntry.objects.filter(action="create", object_id=grant.pk).exists())

    def test_only_the_units_admins_and_the_bureau_grant_rights(self) -> None:
        for user in (self.tto_staff, self.other_staff, self.enterprise_user, self.manager):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                rights_grant_add(by=user, achievement=self.shrimp, fields=OWNERSHIP)
        rights_grant_add(by=self.bureau_admin, achievement=self.shrimp, fields=OWNERSHIP)
        self.assertEqual(RightsGrant.objects.count(), 1)

    def test_bad_grants_name_the_field_and_change_nothing(self) -> None:
        rights_grant_add(by=self.tto_admin, achievement=self.shrimp, fields=OWNERSHIP)
        cases = [
            (OWNERSHIP | {"share": Decimal("40")}, "share"),  # 70 % + 40 % of ownership
            (OWNERSHIP | {"share": Decimal("0")}, "share"),
            (OWNERSHIP | {"share": Decimal("20"), "term_years": 10}, "term_years"),
            (
                OWNERSHIP | {"kind": "use", "share": Decimal("100")},
                "term_years",
            ),  # a use right needs its term
            (
                OWNERSHIP | {"share": Decimal("10"), "granted_on": timezone.localdate() + timedelta(days=1)},
                "granted_on",
            ),
            (OWNERSHIP | {"kind": "lease"}, "kind"),
            (OWNERSHIP | {"grantees": " "}, "grantees"),
        ]
        for fields, field in cases:
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                rights_grant_add(by=self.tto_admin, achievement=self.shrimp, fields=fields)
            self.assertIn(field, caught.exception.message_dict)
        self.assertEqual(RightsGrant.objects.count(), 1)
        use = OWNERSHIP | {"kind": "use", "share": Decimal("100"), "term_years": 10}
        rights_grant_add(
            by=self.tto_admin, achievement=self.shrimp, fields=use
        )  # use rights beside ownership
        self.assertEqual(RightsGrant.objects.count(), 2)

    def test_the_ledger_lists_the_units_achievements_with_their_grants_for_its_members_only(self) -> None:
        rights_grant_add(by=self.tto_admin, achievement=self.shrimp, fields=OWNERSHIP)
        ledger = service_ledger(self.tto_staff, self.qdu)
        self.assertIn(self.shrimp, ledger)
        self.assertTrue(all(a.organisation_id == self.qdu.pk for a in ledger))
        self.assertEqual(
            [g.share for g in ledger.get(pk=self.shrimp.pk).rights_grants.all()], [Decimal("70.00")]
        )
        self.assertEqual(service_ledger(self.bureau_admin, self.qdu).count(), ledger.count())
        for user in (self.other_staff, self.enterprise_user, self.manager):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                service_ledger(user, self.qdu)
