"""The menu of base.html offers each persona the entries meant for them; the API docs it links to speak Chinese
around Swagger UI."""

from django.test import TestCase
from django.urls import reverse

from tests.base import PERSONAS, PersonasTestCase


class MenuTest(PersonasTestCase):
    def test_only_experts_are_offered_their_proof_of_concept_reviews(self) -> None:
        # PoC applications are scored by experts only (poc.services.review), as the PoC pages' own tabs say
        link = f'href="{reverse("poc:reviews")}"'
        for name in PERSONAS:
            with self.subTest(name):
                self.as_user(name)
                home = self.client.get("/").content.decode()
                self.assertEqual(link in home, name == "expert")

    def test_every_signed_in_persona_is_offered_their_competition_judging(self) -> None:
        # any account may be added as a judge of a competition (competitions/judges.html)
        link = f'href="{reverse("competitions:mine")}"'
        for name in PERSONAS:
            with self.subTest(name):
                self.as_user(name)
                self.assertEqual(link in self.client.get("/").content.decode(), name != "anonymous")


class ApiDocsPageTest(TestCase):
    def test_the_api_docs_page_speaks_the_platforms_language_and_leads_back(self) -> None:
        page = self.client.get("/api/v1/docs")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, '<html lang="zh-CN">')
        self.assertContains(page, "<title>开放接口 · 繁星汇 API</title>")
        self.assertContains(page, 'href="/api/v1/openapi.json"')
        self.assertContains(page, "swagger-ui-bundle.js")
