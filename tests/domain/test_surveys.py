"""Survey uncertainty: the 95 % interval of the difference of two proportions, from each survey's
sample size (and design effect) or its own margin of error; the fixed tolerance without them."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from machiplan.domain.surveys import Z95, Sample, difference_half_width, unchanged


def test_the_interval_of_two_proportions_by_hand():
    # 40 % of 1,000 then 43 % of 1,000: SE = sqrt(.4·.6/1000 + .43·.57/1000) = 0.02203
    half = difference_half_width(Sample(40.0, 1000), Sample(43.0, 1000))
    assert half == pytest.approx(Z95 * math.sqrt(0.4 * 0.6 / 1000 + 0.43 * 0.57 / 1000) * 100)
    assert half == pytest.approx(4.317, abs=1e-3)
    assert unchanged(Sample(40.0, 1000), Sample(43.0, 1000), 3.0)  # 3 points < 4.3: sampling error
    assert not unchanged(Sample(40.0, 5000), Sample(43.0, 5000), 3.0)  # 3 points > 1.9


def test_a_design_effect_widens_it_and_a_stated_margin_is_used_as_given():
    plain = difference_half_width(Sample(50.0, 800), Sample(50.0, 800))
    clustered = difference_half_width(
        Sample(50.0, 800, design_effect=2.0), Sample(50.0, 800, design_effect=2.0)
    )
    assert clustered == pytest.approx(plain * math.sqrt(2))
    assert difference_half_width(Sample(50.0, margin=3.0), Sample(52.0, margin=4.0)) == pytest.approx(5.0)


def test_without_sample_sizes_the_fixed_tolerance_stands():
    assert difference_half_width(Sample(40.0), Sample(43.0, 1000)) is None
    assert unchanged(Sample(40.0), Sample(42.9), 3.0) and not unchanged(Sample(40.0), Sample(43.1), 3.0)


@given(p=st.floats(1, 99), q=st.floats(1, 99), n=st.integers(30, 100_000), m=st.integers(30, 100_000))
def test_a_bigger_sample_never_widens_the_interval(p, q, n, m):
    assert difference_half_width(Sample(p, n * 2), Sample(q, m * 2)) <= difference_half_width(
        Sample(p, n), Sample(q, m)
    )
