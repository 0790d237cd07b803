"""Production settings for the benchmark server, with one change: static files without the manifest.

With FANXING_DEBUG=0 the platform stores static files with whitenoise's CompressedManifestStaticFilesStorage,
and `collectstatic` currently fails there: the vendored bootstrap.bundle.min.js and bootstrap.min.css end
with a `sourceMappingURL` comment naming a .map file that is not vendored. Until that is fixed, the
benchmark collects them with the compressing storage that keeps names as they are; nothing it measures
depends on file names. Everything else is fanxing.settings as the environment makes it.
"""

from fanxing.settings import *  # noqa: F403
from fanxing.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}
