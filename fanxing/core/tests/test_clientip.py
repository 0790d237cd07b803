"""Behind reverse proxies the login lock counts by the client's address, which the nearest proxies vouch
for in X-Forwarded-For, not by the proxy's own (FANXING_PROXY_COUNT)."""

from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings
from django.urls import reverse

from fanxing.accounts.models import Role
from fanxing.core.clientip import client_ip
from tests.base import PASSWORD, make_user

NGINX = "127.0.0.1"


class ClientIpTest(SimpleTestCase):
    def ip(self, forwarded: str) -> str:
        return client_ip(RequestFactory().get("/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded))

    def test_without_proxies_the_address_is_the_connections(self) -> None:
        self.assertEqual(self.ip("203.0.113.7"), NGINX)

    @override_settings(FANXING_PROXY_COUNT=1)
    def test_behind_one_proxy_the_address_is_the_last_it_appended_not_what_the_client_claimed(self) -> None:
        self.assertEqual(self.ip("198.51.100.1, 203.0.113.7"), "203.0.113.7")
        self.assertEqual(self.ip(""), NGINX)

    @override_settings(FANXING_PROXY_COUNT=2)
    def test_behind_a_load_balancer_and_nginx_the_address_is_the_second_from_the_end(self) -> None:
        self.assertEqual(self.ip("198.51.100.1, 203.0.113.7, 10.0.0.2"), "203.0.113.7")


@override_settings(FANXING_PROXY_COUNT=1)
class LoginLockBehindAProxyTest(TestCase):
    def test_failures_from_one_client_do_not_lock_the_username_for_another_behind_the_same_proxy(
        self,
    ) -> None:
        make_user("expert", Role.EXPERT)
        url = reverse("accounts:login")
        for _ in range(5):
            self.client.post(
                url,
                {"username": "expert", "password": "wrong"},
                REMOTE_ADDR=NGINX,
                HTTP_X_FORWARDED_FOR="203.0.113.7",
            )
        locked = self.client.post(
            url,
            {"username": "expert", "password": PASSWORD},
            REMOTE_ADDR=NGINX,
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
        self.assertEqual(locked.status_code, 429)
        other = self.client.post(
            url,
            {"username": "expert", "password": PASSWORD},
            REMOTE_ADDR=NGINX,
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
        self.assertRedirects(other, reverse("core:home"))
