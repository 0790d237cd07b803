"""Every persona follows every internal link, breadth-first from the home page, on the full demo data.

What it checks on each page: no page answers 500; a link a persona is shown opens for that persona (a 403 or
404 there means the link should not have been shown to them, and a signed-in persona is never sent to the
login page); every HTML page has a <title> of its own (the home page may have just the site's name) and the
language base.html declares. Fragments that pages load with hx-get are fetched as HTMX does and checked for
errors only.

The crawl is bounded so the file runs in about half a minute: paths are grouped into patterns (each run of
digits made N, each dotted key such as a figure's K), at most two URLs of a pattern are visited, and one more
with a query string. A failure names the persona, the page that had the link, and the link.
"""

import datetime
import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from django.test import TestCase
from django.utils import timezone

from fanxing.accounts.models import Role, User
from fanxing.competitions.models import Competition
from fanxing.core.demo.loader import load_demo
from fanxing.core.models import Organisation
from fanxing.events.models import Event
from fanxing.poc.models import PocCall
from tests.base import PERSONAS, make_organisation, make_user

LANG = "zh-CN"  # what base.html declares on <html>
PER_PATTERN = 2  # URLs visited per pattern without a query string
PER_QUERY = 1  # and with one
MAX_PAGES = 400  # per persona: a crawl that stops converging fails instead of running for minutes
SKIP = re.compile(r"^/(admin/|static/|media/|accounts/logout/)")
# Not pages of the platform's own: the API's schema (JSON) is checked for errors only. Its documentation page
# (Swagger UI, templates/ninja/swagger.html) is checked as a page.
NOT_OURS = re.compile(r"^/api/v1/openapi\.json")
LOGIN = "/accounts/login/"
# Patterns the bureau's administrator must reach, so that the crawl cannot quietly shrink to the home page.
BUREAU_REACHES = {
    "/achievements/N/",
    "/demands/N/",
    "/organisations/N/",
    "/deals/leads/N/",
    "/deals/contracts/N/",
    "/deals/contracts/N/reward/",
    "/events/N/",
    "/events/N/schedule/",
    "/competitions/N/entries/",
    "/poc/calls/N/",
    "/poc/applications/N/",
    "/platforms/N/",
    "/people/managers/N/",
    "/people/experts/N/",
    "/reports/leaderboard/N/",
    "/reports/N/figures/K/",
    "/reports/indicators/K/",
    "/alliance/",
    "/audit/",
    "/search/",
}


class Page(HTMLParser):
    """A page's links (href of <a>, hx-get of anything but a form), its <title> text and <html lang>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.fragments: list[str] = []
        self.title = ""
        self.lang = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if tag != "form" and values.get("hx-get") and values.get("hx-get") != values.get("href"):
            self.fragments.append(values["hx-get"] or "")
        if tag == "html":
            self.lang = values.get("lang") or ""
        self._in_title = self._in_title or tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def pattern(url: str) -> str:
    """The URL's path with each run of digits made N and each dotted key (/figures/contracts.all.amount/) K."""
    path = re.sub(r"\d+", "N", urlsplit(url).path)
    return re.sub(r"/[\w-]+\.[\w.-]+/", "/K/", path)


def internal(page: str, hrefs: list[str]) -> Iterator[str]:
    """The links of `page` to follow: same site, not the admin, static files or logging out."""
    for href in hrefs:
        url = urldefrag(href)[0]
        if url.startswith("?"):
            url = urlsplit(page).path + url
        if url.startswith("/") and not url.startswith("//") and not SKIP.match(url):
            yield url


@dataclass
class Crawl:
    """One persona's crawl: the status of each URL visited, and each problem as a line naming it."""

    persona: str
    visited: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def patterns(self) -> set[str]:
        return {pattern(url) for url in self.visited}


def open_one_of_each(now: datetime.datetime) -> None:
    """The demo's events, calls and competition are over by now; open a copy of each, so that the pages
    and links of registering, applying and entering are crawled too."""
    day, today = datetime.timedelta(days=1), now.date()
    event = Event.objects.order_by("pk").first()
    call = PocCall.objects.order_by("pk").first()
    competition = Competition.objects.order_by("pk").first()
    assert event and call and competition, "the demo has events, calls and a competition"
    for record in (event, call, competition):
        record.pk = record.id = None
        record.title = f"{record.title}（开放中）"
    event.status = Event.Status.PUBLISHED
    event.registration_opens, event.registration_closes = now - day, now + 20 * day
    event.starts_at, event.ends_at = now + 30 * day, now + 30 * day + datetime.timedelta(hours=4)
    event.first_slot_at = event.starts_at if event.slot_count else None
    event.save()
    call.status, call.opens_on, call.deadline = PocCall.Status.OPEN, today, today + 30 * day
    call.save()
    competition.status, competition.year = Competition.Status.OPEN, today.year
    competition.opens_on, competition.closes_on = today, today + 30 * day
    competition.save()


class CrawlTest(TestCase):
    """The crawl over the demo, one persona at a time; the personas are those of tests/base.py, made in the
    demo's organisations (the outsider in a new enterprise; the manager and the expert are the demo's own,
    with their profiles and work)."""

    users: dict[str, User]

    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()
        open_one_of_each(timezone.now())
        demo = {u.username: u for u in User.objects.filter(username__in=["enterprise", "manager", "expert"])}
        org = Organisation.objects.get
        haichuan = demo["enterprise"].organisation
        unrelated = make_organisation("青岛远帆电子有限公司", Organisation.Kind.ENTERPRISE)
        cls.users = {
            "bureau_admin": make_user("bureau_admin", Role.BUREAU_ADMIN, org(name="崂山区科学技术局")),
            "tto_admin": make_user("tto_admin", Role.ORG_ADMIN, org(name="青岛大学")),
            "tto_staff": make_user("tto_staff", Role.ORG_STAFF, org(name="青岛大学")),
            "other_staff": make_user("other_staff", Role.ORG_STAFF, org(name="中国海洋大学")),
            "enterprise_user": make_user("enterprise_user", Role.ENTERPRISE, haichuan),
            "outsider": make_user("outsider", Role.ENTERPRISE, unrelated),
            "manager": demo["manager"],
            "expert": demo["expert"],
        }

    def crawl(self, persona: str) -> Crawl:
        self.client.logout()
        if persona != "anonymous":
            self.client.force_login(self.users[persona])
        found = Crawl(persona)
        # the home page, and the search box of the menu
        queue: deque[tuple[str, str, bool]] = deque(
            [("/", "(start)", False), ("/search/?q=养殖", "(menu)", False)]
        )
        plain: Counter[str] = Counter()
        queried: Counter[str] = Counter()
        while queue and len(found.visited) < MAX_PAGES:
            url, source, fragment = queue.popleft()
            counts, limit = (queried, PER_QUERY) if "?" in url else (plain, PER_PATTERN)
            if url in found.visited or counts[pattern(url)] >= limit:
                continue
            counts[pattern(url)] += 1
            page = self.visit(found, url, source, fragment)
            if page is not None:
                queue.extend((link, url, False) for link in internal(url, page.hrefs))
                queue.extend((link, url, True) for link in internal(url, page.fragments))
        return found

    def visit(self, found: Crawl, url: str, source: str, fragment: bool) -> Page | None:
        """GET one URL, note what is wrong with it, and return what to read on: the page, or a redirect's target."""
        where = f"{found.persona}: {source} → {url}"
        try:
            response = self.client.get(url, headers={"HX-Request": "true"} if fragment else {})
        except Exception as error:  # the test client raises a view's exception instead of answering 500
            found.visited[url] = 500
            found.problems.append(f"{where} answers 500 ({type(error).__name__}: {error})")
            return None
        status = found.visited[url] = response.status_code
        if status >= 500:
            found.problems.append(f"{where} answers {status}")
        elif status >= 400:
            found.problems.append(f"{where} answers {status}, yet the link is shown to {found.persona}")
        elif status >= 300:
            redirect = Page()
            if urlsplit(response.headers["Location"]).path != LOGIN:
                redirect.hrefs.append(response.headers["Location"])
            elif found.persona != "anonymous":
                found.problems.append(f"{where} sends a signed-in user to the login page")
            return redirect
        if status != 200 or not response.headers.get("Content-Type", "").startswith("text/html"):
            return None
        page = Page()
        page.feed(response.content.decode())
        if not fragment and not NOT_OURS.match(url):
            if not page.title.strip():
                found.problems.append(f"{where} has no <title>")
            elif page.title.strip() == settings.FANXING_SITE_NAME and urlsplit(url).path != "/":
                found.problems.append(f"{where} has no <title> of its own, only the site's name")
            if page.lang != LANG:
                found.problems.append(f'{where} says <html lang="{page.lang}">, not "{LANG}"')
        return page

    def test_every_persona_reaches_every_page_it_is_shown_without_an_error(self) -> None:
        for persona in PERSONAS:
            with self.subTest(persona):
                found = self.crawl(persona)
                if found.problems:
                    self.fail(f"{len(found.problems)} problems:\n" + "\n".join(found.problems))
                self.assertLess(len(found.visited), MAX_PAGES, f"{persona}: the crawl did not converge")
                if persona == "bureau_admin":
                    self.assertEqual(
                        BUREAU_REACHES - found.patterns(), set(), "pages the crawl no longer reaches"
                    )
