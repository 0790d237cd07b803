"""The production profile: settings chosen by environment variables pass Django's deploy checks, static
files collect with the manifest storage it uses, and `fanxing serve` runs it under gunicorn."""

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.core.management import call_command
from django.test import SimpleTestCase, override_settings

from tests.faults.support import free_port

PRODUCTION_ENV = {
    "FANXING_DEBUG": "0",
    "FANXING_SECRET_KEY": "a-production-secret-key-for-the-check-" + "x" * 30,
    "FANXING_ALLOWED_HOSTS": "fanxing.example.cn",
}


class ProductionProfileTest(SimpleTestCase):
    def test_check_deploy_is_clean(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | PRODUCTION_ENV
        result = subprocess.run(
            [sys.executable, "-m", "fanxing.cli", "check", "--deploy", "--fail-level", "WARNING"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)


class ServeTest(SimpleTestCase):
    """`fanxing serve` in the production profile: gunicorn answers the probes over plain HTTP, redirects
    everything else to HTTPS, serves the collected static files compressed with HSTS, and logs JSON."""

    def get(self, port: int, path: str, **headers: str) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path, headers={"Host": "fanxing.example.cn", **headers})
        response = conn.getresponse()
        response.read()
        conn.close()
        return response

    def test_gunicorn_serves_probes_static_files_and_https_redirects_and_logs_json(self) -> None:
        work = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, work, True)
        with override_settings(
            STATIC_ROOT=work / "static",
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
            },
        ):
            call_command("collectstatic", "--noinput", verbosity=0)
        css = json.loads((work / "static" / "staticfiles.json").read_text())["paths"]["css/fanxing.css"]
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FANXING_"))}
        env |= PRODUCTION_ENV | {"FANXING_DATA_DIR": str(work), "FANXING_STATIC_ROOT": str(work / "static")}
        log = open(work / "stderr.log", "w+")  # noqa: SIM115 (closed by the clean-up)
        self.addCleanup(log.close)
        server = subprocess.Popen(
            [sys.executable, "-m", "fanxing.cli", "serve", f"--bind=127.0.0.1:{port}", "--workers=1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        self.addCleanup(self.stop, server)
        self.wait_until_up(server, port)

        self.assertEqual(self.get(port, "/healthz").status, 200)  # a probe over plain HTTP: not redirected
        redirect = self.get(port, "/achievements/")
        self.assertEqual(redirect.status, 301)
        self.assertEqual(redirect.getheader("Location"), "https://fanxing.example.cn/achievements/")
        static = self.get(port, f"/static/{css}", **{"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"})
        self.assertEqual(static.status, 200)
        self.assertEqual(static.getheader("Content-Encoding"), "gzip")
        self.assertIn("immutable", static.getheader("Cache-Control", ""))
        self.assertIn("max-age=31536000", static.getheader("Strict-Transport-Security", ""))

        self.stop(server)
        log.seek(0)
        records = [json.loads(line) for line in log if line.startswith("{")]
        requests = [r for r in records if r.get("logger") == "fanxing.request"]
        self.assertEqual(
            [(r["path"], r["status"]) for r in requests][-2:],
            [("/achievements/", 301), (f"/static/{css}", 200)],
        )
        self.assertTrue(any(r.get("logger") == "gunicorn.error" for r in records))

    def wait_until_up(self, server: subprocess.Popen[bytes], port: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            self.assertIsNone(server.poll(), "gunicorn exited")
            try:
                if self.get(port, "/healthz").status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.fail("gunicorn did not answer within 60 seconds")

    @staticmethod
    def stop(server: subprocess.Popen[bytes]) -> None:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


class DeploymentGuideTest(SimpleTestCase):
    def test_every_environment_variable_of_the_settings_and_of_gunicorn_is_in_the_deployment_guide(
        self,
    ) -> None:
        root = Path(__file__).resolve().parents[3]
        guide = (root / "docs" / "deployment.md").read_text(encoding="utf-8")
        sources = [root / "fanxing" / "settings.py", root / "fanxing" / "gunicorn_conf.py"]
        variables = {
            name for source in sources for name in re.findall(r'"(FANXING_[A-Z0-9_]+)"', source.read_text())
        }
        self.assertGreater(len(variables), 20)
        undocumented = sorted(name for name in variables if f"`{name}`" not in guide)
        self.assertEqual(undocumented, [], "document these in docs/deployment.md, 'Environment variables'")
