from django.core.exceptions import PermissionDenied, ValidationError

from fanxing.core.models import AuditEntry, TechField
from fanxing.platforms import services
from fanxing.platforms.models import Platform, PlatformType
from fanxing.platforms.selectors import city_and_above_count
from fanxing.platforms.tests.base import PlatformTestCase


class PlatformSaveTest(PlatformTestCase):
    def fields(self, **values: object) -> dict[str, object]:
        return {
            "name": "青岛市海洋生物制品工程技术研究中心",
            "level": Platform.Level.MUNICIPAL,
            "kind": PlatformType.objects.get(name="工程技术研究中心"),
            "host": self.qdu,
            "recognised_year": 2024,
            "park": self.park,
            "chain": self.chain,
            "fields": list(TechField.objects.filter(code="mbio")),
        } | values

    def test_the_bureau_records_a_platform_with_its_fields_and_an_audit_entry(self) -> None:
        platform = services.platform_save(by=self.bureau_admin, fields=self.fields())
        self.assertEqual([f.code for f in platform.fields.all()], ["mbio"])
        entry = AuditEntry.objects.get(object_id=platform.pk, action="create", target_repr=platform.name)
        self.assertEqual(entry.actor, self.bureau_admin)
        self.assertEqual(entry.changes["fields"], [[], ["mbio"]])

    def test_it_names_the_field_of_each_error(self) -> None:
        cases = {
            "recognised_year": {"recognised_year": 24},
            "revoked_year": {"status": Platform.Status.REVOKED},
            "level": {"level": "city"},
            "name": {"name": self.lab.name},
            "status": {"revoked_year": 2025},
        }
        for field, values in cases.items():
            with self.subTest(field), self.assertRaises(ValidationError) as caught:
                services.platform_save(by=self.bureau_admin, fields=self.fields(**values))
            self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(Platform.objects.filter(name=self.fields()["name"]).exists())

    def test_a_revocation_year_before_recognition_is_refused_in_chinese(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            services.platform_save(
                by=None, fields=self.fields(status=Platform.Status.REVOKED, revoked_year=2020)
            )
        self.assertEqual(caught.exception.message_dict["revoked_year"], ["撤销年份不能早于认定年份"])

    def test_unknown_fields_are_named(self) -> None:
        with self.assertRaisesMessage(ValidationError, "不能修改这些字段：colour"):
            services.platform_save(by=None, fields=self.fields(colour="red"))

    def test_the_host_office_changes_the_description_and_fields_only(self) -> None:
        services.platform_save(
            by=self.tto_staff,
            fields={"description": "新简介", "fields": list(TechField.objects.filter(code="bio"))},
            platform=self.lab,
        )
        self.lab.refresh_from_db()
        self.assertEqual(self.lab.description, "新简介")
        with self.assertRaisesMessage(PermissionDenied, "不能修改：级别"):
            services.platform_save(by=self.tto_admin, fields={"level": "district"}, platform=self.lab)
        self.lab.refresh_from_db()
        self.assertEqual(self.lab.level, Platform.Level.NATIONAL)

    def test_others_change_nothing_and_only_the_bureau_records(self) -> None:
        for user in (self.other_staff, self.enterprise_user, self.expert):
            with self.subTest(user.username), self.assertRaises(PermissionDenied):
                services.platform_save(by=user, fields={"description": "篡改"}, platform=self.lab)
        with self.assertRaises(PermissionDenied):
            services.platform_save(by=self.tto_admin, fields=self.fields())

    def test_parks_and_chains_are_kept_by_the_bureau(self) -> None:
        park = services.park_save(by=self.bureau_admin, fields={"name": "崂山区虚拟现实产业园"})
        self.assertEqual(park.name, "崂山区虚拟现实产业园")
        with self.assertRaises(PermissionDenied):
            services.chain_save(by=self.tto_admin, fields={"name": "虚拟现实"})


class CountingRuleTest(PlatformTestCase):
    def test_city_level_and_above_counts_what_was_in_force_that_year(self) -> None:
        # national 2010, provincial 2020, municipal 2015, district 2022 (never), municipal 2012–2023 (revoked)
        self.assertEqual(city_and_above_count(2009), 0)
        self.assertEqual(city_and_above_count(2012), 2)
        self.assertEqual(city_and_above_count(2022), 4)
        self.assertEqual(city_and_above_count(2023), 3)
        self.assertEqual(city_and_above_count(2025), 3)
