import copy
import dataclasses
import pickle
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from machiplan.domain.frozen import frozen_builder
from machiplan.domain.plan import Baseline, Indicator, Observation, Target

_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=5),
    st.decimals(allow_nan=False, places=3),
    st.tuples(st.tuples(st.text(max_size=3), st.decimals(allow_nan=False, places=2))),
)


def _fields(cls):
    return [f.name for f in dataclasses.fields(cls)]


@pytest.mark.parametrize("cls", [Observation, Target, Baseline])
@given(data=st.data())
def test_a_built_figure_is_the_one_its_init_makes(cls, data):
    names = data.draw(st.permutations(_fields(cls)))
    values = [data.draw(_values, label=name) for name in names]
    built = frozen_builder(cls, names)(*values)
    made = cls(**dict(zip(names, values, strict=True)))
    assert type(built) is cls
    assert built == made and repr(built) == repr(made)
    assert hash(built) == hash(made)  # every value drawn is hashable
    assert pickle.loads(pickle.dumps(built)) == made
    assert copy.copy(built) == made and dataclasses.replace(built) == made
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.fy = 2000


def test_a_builder_is_refused_what_init_would_make_otherwise():
    names = _fields(Observation)
    with pytest.raises(TypeError, match="each of its fields once"):
        frozen_builder(Observation, names[:-1])
    with pytest.raises(TypeError, match="each of its fields once"):
        frozen_builder(Observation, [*names, names[0]])
    with pytest.raises(TypeError, match="each of its fields once"):
        frozen_builder(Indicator, _fields(Indicator))  # its cache is no argument of __init__

    @dataclasses.dataclass(frozen=True)
    class Unslotted:
        value: Decimal

    with pytest.raises(TypeError, match="not a frozen dataclass with slots"):
        frozen_builder(Unslotted, ["value"])

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        value: Decimal

        def __post_init__(self):
            raise ValueError

    with pytest.raises(TypeError, match="__post_init__"):
        frozen_builder(Checked, ["value"])


def test_an_indicators_decimals_are_worked_out_once_and_again_for_a_changed_copy():
    """Indicator keeps display_places in a slot (an instance dict of its 30-odd fields was 1.5 KB):
    worked out on first use, kept, and worked out again for a copy with other figures."""
    ind = Indicator(
        code="a", name="率", unit="%", observations=(Observation(2020, "actual", Decimal("32.4")),)
    )
    assert not hasattr(ind, "__dict__")
    assert ind.display_places == 1 and ind.display_places == 1
    other = dataclasses.replace(ind, observations=(Observation(2020, "actual", Decimal("32.45")),))
    assert other.display_places == 2 and ind.display_places == 1
    assert (
        other != ind and dataclasses.replace(other, observations=ind.observations) == ind
    )  # cache not compared
    assert pickle.loads(pickle.dumps(ind)) == ind and "32.4" in repr(ind) and "_places" not in repr(ind)
