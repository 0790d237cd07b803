"""The load test's users: a realistic mix against a platform loaded with the demo data (loopback only).

- Visitors (most users) browse the portal, the libraries, records, the platforms and the leaderboard.
- Searchers use the search box (the matching engine over both libraries).
- Enterprise engineers sign in, open their demand's matches (the engine's ranked achievements with
  reasons), and edit a draft demand of their own through the API (session and CSRF, as the site does).
- Transfer officers sign in and upload a small demand file for its dry run (a background job), then poll it.

Each request is named by its type (the figures are per type), not by its URL.
"""

import io
import random
import re

import urllib3
from locust import HttpUser, between, task

urllib3.disable_warnings(
    urllib3.exceptions.InsecureRequestWarning
)  # the production run's throwaway certificate


class PlatformUser(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.client.verify = False


PASSWORD = "fanxing2025"
WORDS = ["海水养殖", "电池", "传感器", "生物医药", "人工智能", "新材料", "检测", "海洋", "机器人", "算法"]
DEMAND_CSV = (
    "需求名称,需解决的问题,技术领域,截止日期\n"
    "养殖尾水在线监测,需要低成本在线监测养殖尾水氨氮和总磷,marine.fishery,2027-06-30\n"
)


class Ids:
    """Record numbers seen on the list pages, shared by every simulated user of this process."""

    achievements: list[str] = []
    demands: list[str] = []


def ids_from(html: str, kind: str) -> list[str]:
    return sorted(set(re.findall(rf'href="/{kind}/(\d+)/"', html)))


class Visitor(PlatformUser):
    weight = 12
    wait_time = between(1, 3)

    def on_start(self) -> None:
        super().on_start()
        if not Ids.achievements:
            Ids.achievements = ids_from(
                self.client.get("/achievements/", name="browse: list").text, "achievements"
            )
            Ids.demands = ids_from(self.client.get("/demands/", name="browse: list").text, "demands")

    @task(3)
    def portal(self) -> None:
        self.client.get("/", name="browse: portal")

    @task(4)
    def lists(self) -> None:
        kind = random.choice(["achievements", "demands"])
        self.client.get(f"/{kind}/?page={random.randint(1, 5)}", name="browse: list")

    @task(5)
    def record(self) -> None:
        kind, ids = random.choice([("achievements", Ids.achievements), ("demands", Ids.demands)])
        if ids:
            self.client.get(f"/{kind}/{random.choice(ids)}/", name="browse: record")

    @task(1)
    def platforms(self) -> None:
        self.client.get("/platforms/", name="browse: platforms")

    @task(1)
    def leaderboard(self) -> None:
        self.client.get("/reports/leaderboard/2025/", name="browse: leaderboard")

    @task(2)
    def api(self) -> None:
        self.client.get(f"/api/v1/achievements?page={random.randint(1, 5)}", name="api: list")


class Searcher(PlatformUser):
    weight = 4
    wait_time = between(1, 3)

    @task
    def search(self) -> None:
        self.client.get("/search/", params={"q": random.choice(WORDS)}, name="search")


def sign_in(user: HttpUser, username: str) -> None:
    """Through the login form, as a person does (the session cookie and the CSRF token it sets)."""
    user.client.get("/accounts/login/", name="sign in: form")
    token = user.client.cookies.get("csrftoken", "")
    user.client.post(
        "/accounts/login/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{user.host}/accounts/login/"},
        name="sign in: post",
    )


class EnterpriseEngineer(PlatformUser):
    weight = 3
    wait_time = between(2, 5)

    def on_start(self) -> None:
        super().on_start()
        sign_in(self, "enterprise")
        self.csrf = self.client.cookies.get("csrftoken", "")
        response = self.client.post(
            "/api/v1/demands",
            json={
                "title": "养殖尾水在线监测（压测草稿）",
                "problem": "需要低成本在线监测养殖尾水的氨氮和总磷",
                "field": "marine.fishery",
                "deadline": "2027-06-30",
            },
            headers={"X-CSRFToken": self.csrf, "Referer": f"{self.host}/"},
            name="edit: create draft",
        )
        self.draft = response.json().get("id") if response.status_code == 201 else None
        self.mine = ids_from(self.client.get("/demands/?mine=on", name="browse: list").text, "demands")

    @task(3)
    def matches(self) -> None:
        if self.mine:
            self.client.get(f"/matching/demands/{random.choice(self.mine)}/achievements/", name="matching")

    @task(2)
    def edit(self) -> None:
        if self.draft:
            self.client.patch(
                f"/api/v1/demands/{self.draft}",
                json={"wanted_effect": f"检测限 {random.randint(1, 50)} mg/L 以下"},
                headers={"X-CSRFToken": self.csrf, "Referer": f"{self.host}/"},
                name="edit: change draft",
            )


class TransferOfficer(PlatformUser):
    weight = 1
    wait_time = between(5, 10)

    def on_start(self) -> None:
        super().on_start()
        sign_in(self, "qdu_staff")

    @task
    def import_dry_run(self) -> None:
        self.client.get("/io/demands/import/", name="import: page")
        token = self.client.cookies.get("csrftoken", "")
        response = self.client.post(
            "/io/demands/import/",
            data={"csrfmiddlewaretoken": token},
            files={"file": ("需求.csv", io.BytesIO(DEMAND_CSV.encode()), "text/csv")},
            headers={"Referer": f"{self.host}/io/demands/import/"},
            name="import: upload",
        )
        job = re.search(r"/io/jobs/(\d+)/", response.text)
        if job:
            self.client.get(f"/io/jobs/{job.group(1)}/", name="import: poll")
