"""Every list links to its export with the filters it shows, and without a stray "&" when it has none."""

from django.urls import reverse

from tests.base import PersonasTestCase


class ExportLinksTest(PersonasTestCase):
    def test_an_unfiltered_list_links_to_its_export_without_a_stray_ampersand(self) -> None:
        self.login(self.bureau_admin)
        lists = (
            "achievements:list",
            "demands:list",
            "core:organisations",
            "core:audit",
            "events:list",
            "platforms:list",
            "poc:calls",
            "poc:platforms",
            "managers:managers",
            "deals:contracts",
            "deals:leads",
            "deals:payouts",
        )
        for name in lists:
            with self.subTest(name):
                page = self.client.get(reverse(name)).content.decode()
                self.assertIn('href="?export=xlsx"', page)
                self.assertNotIn("?&amp;export=", page)

    def test_a_filtered_list_keeps_its_filters_in_the_export_link(self) -> None:
        self.login(self.bureau_admin)
        response = self.client.get(reverse("deals:contracts"), {"year": "2025", "page": "1"})
        self.assertContains(response, 'href="?year=2025&amp;export=xlsx"')
        self.assertContains(response, 'href="?year=2025&amp;export=csv"')
