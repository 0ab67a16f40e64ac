"""The WSGI application, for ``machiplan serve`` and any WSGI server: Django, with the public
pages' fast path in front of it (web/fast.py)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from machiplan.web.fast import public_pages

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "machiplan.settings")
application = public_pages(get_wsgi_application())
# Django imports the URL configuration, and with it every view module (the report writers, openpyxl,
# the staff pages), on the first request: 2–3 s that a reader would wait for, once in every worker.
# Done here, it happens once, before a preloading server (``machiplan serve``) forks its workers.
url_patterns = get_resolver().url_patterns
