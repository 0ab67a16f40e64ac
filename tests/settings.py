"""Settings for the test suite: machiplan's own, with a scratch data folder.

``MACHIPLAN_TEST_DATABASE=postgresql`` runs the whole suite on a PostgreSQL
server that is started here (before Django reads its settings) and removed
when the tests end.
"""

import os
import tempfile

os.environ["MACHIPLAN_DATA_DIR"] = tempfile.mkdtemp(prefix="machiplan-test-data-")
os.environ.pop("MACHIPLAN_DATABASE_URL", None)

if os.environ.get("MACHIPLAN_TEST_DATABASE") == "postgresql":
    from tests.support.postgres import start_server

    os.environ["MACHIPLAN_DATABASE_URL"] = start_server()

from machiplan.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
