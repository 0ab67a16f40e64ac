"""``machiplan serve``: the web app on gunicorn, a production WSGI server. DEBUG is never on."""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    def __init__(self, application: Any, options: dict[str, Any]) -> None:
        self.application, self.options = application, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application


def serve(host: str, port: int, workers: int | None = None, threads: int | None = None) -> None:
    os.environ["MACHIPLAN_DEBUG"] = "0"
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    if host not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS.append(host)
    call_command("collectstatic", interactive=False, verbosity=0)
    from machiplan.wsgi import application

    cores = os.cpu_count() or 1
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        # One process per core: a process more than there are cores gets descheduled while it
        # holds keep-alive connections, and that becomes the tail latency (p99 ~170 ms vs ~80 ms).
        "workers": workers or cores,
        "worker_class": "gthread",
        "threads": threads or 8,
        "accesslog": "-",
        # gunicorn's usual line, then the request id (as on the 500 page and in the error log)
        "access_log_format": '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s',
        "errorlog": "-",
        "preload_app": True,
        # X-Forwarded-Proto and friends only from the proxies the operator named, as the sign-in brake.
        "forwarded_allow_ips": ",".join(settings.TRUSTED_PROXIES),
    }
    print(
        f"machiplan: serving on http://{options['bind']}/ ({options['workers']} workers; Ctrl-C stops)",
        flush=True,
    )
    _Server(application, options).run()
