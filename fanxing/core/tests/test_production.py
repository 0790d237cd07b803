"""The production profile: settings chosen by environment variables pass Django's deploy checks, and static
files collect with the manifest storage it uses."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.test import SimpleTestCase, override_settings

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

    def test_collectstatic_succeeds_with_the_manifest_storage(self) -> None:
        with (
            tempfile.TemporaryDirectory() as root,
            override_settings(
                STATIC_ROOT=root,
                STORAGES={
                    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
                },
            ),
        ):
            call_command("collectstatic", "--noinput", verbosity=0)
            self.assertTrue((Path(root) / "staticfiles.json").exists())
