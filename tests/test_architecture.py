"""The layout is the architecture: pure modules stay free of Django, and docs match the code."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "machiplan"
PURE = ["domain", "interchange", "sheets", "tables"]


@pytest.mark.parametrize("package", PURE)
def test_pure_modules_import_no_framework(package):
    for path in (SRC / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert not name.startswith("django"), f"{path.relative_to(SRC)} imports {name}"


def test_every_cli_command_is_in_the_readme():
    from machiplan.cli.main import COMMANDS

    readme = (SRC.parent.parent / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"`machiplan {command}" in readme, f"README.md does not document `machiplan {command}`"


def test_architecture_doc_names_every_package():
    doc = (SRC.parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for child in SRC.iterdir():
        if child.is_dir() and (child / "__init__.py").exists():
            assert f"{child.name}/" in doc, f"docs/architecture.md does not describe {child.name}/"


def test_every_environment_variable_is_documented():
    import re

    root = SRC.parent.parent
    used = {
        name
        for path in [*SRC.rglob("*.py"), *(root / "bin").iterdir()]
        if path.is_file()
        for name in re.findall(r"MACHIPLAN_[A-Z_]+[A-Z]", path.read_text(encoding="utf-8", errors="replace"))
    }
    docs = "".join(p.read_text(encoding="utf-8") for p in [root / "README.md", *(root / "docs").glob("*.md")])
    assert used and not {name for name in used if f"`{name}" not in docs}, (
        "document these in README.md or docs/"
    )
