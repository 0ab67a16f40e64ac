"""The WSGI application, for ``machiplan serve`` and any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "machiplan.settings")
application = get_wsgi_application()
