"""Shared fixtures: the embedded plan as domain data and in the database, and CLI runners."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import uuid
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from machiplan.embedded import DEFAULT_PLAN_DIR
from machiplan.interchange.package import read_package

REPO = Path(__file__).resolve().parent.parent
SHARED_SEED = REPO.parent / "shared" / "seeds" / "000_fb7eb7b6d6829eed.txt"
SEED = DEFAULT_PLAN_DIR / "source-sheet.txt"  # the seed as shipped inside the product
ON_POSTGRES = os.environ.get("MACHIPLAN_TEST_DATABASE") == "postgresql"

# Property and fuzz tests: a bounded profile for bin/test, a long one for a fuzzing run
# (HYPOTHESIS_PROFILE=long bin/test tests/fuzz; see docs/security.md).
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    return f"machiplan database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(scope="session")
def sapporo():
    """The embedded Sapporo plan as domain data (read once)."""
    return read_package(DEFAULT_PLAN_DIR)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(db):
    """Run ``machiplan`` in this process, against the test database."""
    from machiplan.cli.main import main

    def run(*args: str) -> Result:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse usage errors
                code = int(exc.code or 0)
        return Result(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def fresh_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a new user: an empty data folder (and on PostgreSQL, an empty database)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MACHIPLAN_", "DJANGO_"))}
    env["MACHIPLAN_DATA_DIR"] = str(tmp_path / "data")
    if ON_POSTGRES:
        from django.conf import settings

        from tests.support.postgres import create_database

        base = settings.DATABASES["default"]
        name = f"cli_{uuid.uuid4().hex[:12]}"
        server = f"postgresql://{base['USER']}@{base['HOST']}:{base['PORT']}"
        create_database(f"{server}/postgres", name)
        env["MACHIPLAN_DATABASE_URL"] = f"{server}/{name}"
    return env


@pytest.fixture
def shell(fresh_env: dict[str, str], tmp_path: Path):
    """Run the installed ``machiplan`` command in a new process, as a user would."""
    command = Path(sys.executable).parent / "machiplan"

    def run(*args: str, cwd: Path | None = None) -> Result:
        proc = subprocess.run(
            [str(command), *args],
            cwd=cwd or tmp_path,
            env=fresh_env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run
