"""What reading a figure file by column position relies on (interchange/package/tables.py)."""

import dataclasses

import pytest

from machiplan.interchange.package import tables


@pytest.mark.parametrize("name", tables.FIGURES)
def test_a_required_field_has_a_required_column(name):
    """An absent column is read as every row's empty cell: only a field that may be empty may be absent."""
    specs, _ = tables.FIGURES[name]
    assert {s.name for s in specs if s.required} <= set(tables.REQUIRED[name])


@pytest.mark.parametrize("name", tables.FIGURES)
def test_every_argument_of_a_figure_comes_from_its_file(name):
    """A figure is made from its fields' cells and its place, each argument in the figure's own order."""
    specs, make = tables.FIGURES[name]
    assert {f.name for f in dataclasses.fields(make)} == {s.name for s in specs} | {"source"}
