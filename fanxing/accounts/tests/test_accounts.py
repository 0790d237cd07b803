"""Sign-in, its rate limit, enterprise registration and API tokens."""

from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings
from django.urls import reverse

from fanxing.accounts.models import ApiToken, Role, User
from fanxing.core.models import Organisation
from tests.base import PASSWORD, PersonasTestCase


class LoginTest(PersonasTestCase):
    def test_a_user_signs_in_with_the_right_password(self) -> None:
        response = self.client.post(
            reverse("accounts:login"), {"username": "tto_staff", "password": PASSWORD}
        )
        self.assertRedirects(response, reverse("core:home"))

    def test_repeated_failures_lock_the_account_out(self) -> None:
        url = reverse("accounts:login")
        for _ in range(5):
            self.client.post(url, {"username": "tto_staff", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
        response = self.client.post(
            url, {"username": "tto_staff", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
        )
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "登录失败次数过多", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)


class PasswordHashingTest(PersonasTestCase):
    @override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
    def test_passwords_are_hashed_with_argon2(self) -> None:
        user = User.objects.create_user("argon", password="a-long-passphrase-2026", role=Role.EXPERT)
        self.assertEqual(identify_hasher(user.password).algorithm, "argon2")


class RegisterTest(PersonasTestCase):
    def data(self, **overrides: str) -> dict[str, str]:
        data = {
            "username": "newco",
            "display_name": "赵工",
            "phone": "13800000000",
            "enterprise_name": "青岛新创科技有限公司",
            "uscc": "",
            "password": "Qd-2026-strong-pass",
            "password2": "Qd-2026-strong-pass",
        }
        data.update(overrides)
        return data

    def test_an_enterprise_registers_and_gets_an_unverified_organisation(self) -> None:
        response = self.client.post(reverse("accounts:register"), self.data())
        self.assertRedirects(response, reverse("core:workspace"))
        user = User.objects.get(username="newco")
        self.assertEqual(
            (user.role, user.organisation.name, user.organisation.verified),
            (Role.ENTERPRISE, "青岛新创科技有限公司", False),
        )

    def test_it_refuses_to_join_an_existing_enterprise(self) -> None:
        response = self.client.post(
            reverse("accounts:register"), self.data(enterprise_name=self.haichuan.name)
        )
        self.assertContains(response, "该企业已在平台注册")
        self.assertFalse(User.objects.filter(username="newco").exists())

    def test_it_names_a_bad_credit_code(self) -> None:
        response = self.client.post(reverse("accounts:register"), self.data(uscc="911100001000176430"))
        self.assertContains(response, "校验位错误")
        self.assertFalse(Organisation.objects.filter(name="青岛新创科技有限公司").exists())


class TokenTest(PersonasTestCase):
    def test_a_token_is_shown_once_and_stored_as_a_digest(self) -> None:
        self.login(self.tto_staff)
        response = self.client.post(reverse("accounts:tokens"), {"name": "同步脚本"})
        key = response.context["new_key"]
        token = ApiToken.objects.get(user=self.tto_staff)
        self.assertNotIn(key, (token.digest, token.prefix))
        self.assertEqual(ApiToken.objects.find(key), token)
        self.client.post(reverse("accounts:tokens"), {"revoke": token.pk})
        self.assertIsNone(ApiToken.objects.find(key))


class MembersTest(PersonasTestCase):
    def data(self) -> dict[str, str]:
        return {
            "username": "qdu_new",
            "display_name": "孙老师",
            "role": "org_staff",
            "password": "Qd-2026-strong-pass",
        }

    def test_an_organisation_admin_opens_an_account_for_a_colleague(self) -> None:
        self.login(self.tto_admin)
        self.client.post(reverse("accounts:members", args=[self.qdu.pk]), self.data())
        user = User.objects.get(username="qdu_new")
        self.assertEqual((user.organisation, user.role), (self.qdu, Role.ORG_STAFF))

    def test_staff_and_other_admins_cannot_manage_accounts(self) -> None:
        for user in (self.tto_staff, self.other_staff, self.enterprise_user, self.manager):
            with self.subTest(user.username):
                self.login(user)
                response = self.client.post(reverse("accounts:members", args=[self.qdu.pk]), self.data())
                self.assertEqual(response.status_code, 403)
        self.assertFalse(User.objects.filter(username="qdu_new").exists())

    def test_a_disabled_colleague_can_no_longer_sign_in(self) -> None:
        self.login(self.tto_admin)
        self.client.post(reverse("accounts:members", args=[self.qdu.pk]), {"toggle": self.tto_staff.pk})
        self.client.logout()
        response = self.client.post(
            reverse("accounts:login"), {"username": "tto_staff", "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)
