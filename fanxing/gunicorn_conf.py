"""gunicorn's settings for the production profile, read from the environment.

`fanxing serve` runs `gunicorn -c python:fanxing.gunicorn_conf fanxing.wsgi`; the same command works
by hand. Every variable is optional:

- FANXING_BIND: the address, "127.0.0.1:8000" by default (the reverse proxy in front forwards to it);
  several separated by commas, or "unix:/run/fanxing/gunicorn.sock".
- FANXING_WORKERS: worker processes, the number of CPU cores by default. Each loads the matching indexes
  into its own memory, so memory, not the CPU, is what limits them on a large library.
- FANXING_THREADS: threads per worker (gthread), 4 by default: requests that wait on the database
  overlap within one process.
- FANXING_TIMEOUT: seconds a request may take before its worker is restarted, 60 by default (a search
  over a large library, an export); imports and reports run as jobs, not within a request.
- FANXING_FORWARDED_ALLOW_IPS: the proxies whose X-Forwarded-* headers are trusted, "127.0.0.1,::1".
- FANXING_KEEPALIVE: seconds an idle keep-alive connection stays open, 5 by default. Keep it longer than
  the clients (or the proxy) keep theirs idle: a request sent on a connection the server is just closing
  is lost ("remote end closed connection").

Requests are logged by the application (fanxing.core.requestlog), so gunicorn's access log stays off;
its own messages (starting, a worker timed out) go to stderr, as JSON lines when the application's are.
"""

import os

_cores = os.cpu_count() or 1

bind = [address.strip() for address in os.environ.get("FANXING_BIND", "127.0.0.1:8000").split(",")]
workers = int(os.environ.get("FANXING_WORKERS", _cores))
worker_class = "gthread"
threads = int(os.environ.get("FANXING_THREADS", 4))
timeout = int(os.environ.get("FANXING_TIMEOUT", 60))
graceful_timeout = 30
keepalive = int(os.environ.get("FANXING_KEEPALIVE", 5))
forwarded_allow_ips = os.environ.get("FANXING_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = None
errorlog = "-"
loglevel = "info"
proc_name = "fanxing"

_debug = os.environ.get("FANXING_DEBUG", "1").lower() in ("1", "true", "yes", "on")
if os.environ.get("FANXING_LOG_FORMAT", "text" if _debug else "json") == "json":
    logconfig_dict = {
        "root": {"level": "INFO", "handlers": ["error_console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        },
        "formatters": {
            "generic": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(process)d %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",
                "json_ensure_ascii": False,
            }
        },
    }
