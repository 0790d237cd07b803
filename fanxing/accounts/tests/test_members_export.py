import datetime

from django.urls import reverse
from django.utils import timezone

from tests.base import PersonasTestCase, sheet
from tests.test_permission_matrix import ALL


class MembersExportTest(PersonasTestCase):
    def test_an_organisations_admin_exports_its_accounts_active_first(self) -> None:
        self.tto_staff.last_login = timezone.make_aware(datetime.datetime(2026, 5, 4, 8, 15))
        self.tto_staff.display_name = "王老师"
        self.tto_staff.save()
        self.tto_admin.is_active = False
        self.tto_admin.save()
        self.login(self.bureau_admin)
        rows = sheet(self.client.get(reverse("accounts:members", args=[self.qdu.pk]), {"export": "xlsx"}))
        self.assertEqual(rows[0], ("用户名", "姓名", "角色", "状态", "最近登录"))
        self.assertEqual(
            rows[1:],
            [
                ("tto_staff", "王老师", "机构工作人员", "启用", "2026-05-04 08:15"),
                ("tto_admin", "tto_admin", "机构管理员", "停用", None),
            ],
        )

    def test_only_the_organisations_admins_and_the_bureau_get_the_export(self) -> None:
        url = reverse("accounts:members", args=[self.qdu.pk]) + "?export=xlsx"
        expected = dict.fromkeys(ALL, 403) | {"anonymous": 302, "bureau_admin": 200, "tto_admin": 200}
        self.assertEqual(self.statuses(url), expected)

    def test_the_page_links_to_its_export(self) -> None:
        self.login(self.tto_admin)
        response = self.client.get(reverse("accounts:members", args=[self.qdu.pk]))
        self.assertContains(response, 'href="?export=xlsx"')
