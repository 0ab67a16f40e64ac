"""The method in words (report appendix, the public 評価の方法 page): every method says how each of
its statuses is given, with the plan's own parameters, never a parameter's name."""

import pytest

from machiplan.domain import methods
from machiplan.domain.evaluation import Params
from machiplan.domain.method_text import method_lines, method_title


@pytest.mark.parametrize("name", list(methods.METHODS))
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_method_in_words_without_parameter_names(name, lang):
    params = Params.from_mapping({}, method=name)
    lines = method_lines(params, lang, 2013)
    text = " ".join(lines)
    assert method_title(name, lang)
    for key in params.as_dict():
        if "_" in key or lang == "ja":  # 'rate', 'low' are also English words
            assert key not in text, key
    assert "_" not in text  # no code names at all


def test_the_plans_own_numbers_are_in_the_words():
    text = " ".join(method_lines(Params.from_mapping({"roughly_ratio": 0.5}), "ja", 2013))
    assert "経過率×0.5以上なら「概ね順調」" in text and "平成25年度" in text
    bands = Params.from_mapping(
        {
            "rate": "ratio",
            "bands": [{"code": "◎", "label": "目標値以上", "min": 1.0}, {"code": "△", "label": "未達成"}],
        },
        method="achievement_bands",
    )
    text = " ".join(method_lines(bands, "ja"))
    assert (
        "最新実績 ÷ 目標値" in text
        and "100%以上で「◎」目標値以上" in text
        and "それ未満は「△」未達成" in text
    )
    osaka = " ".join(method_lines(Params.from_mapping({"exceeded_ratio": 1.2}, method="osaka"), "en"))
    assert "A at 120% of the target or more" in osaka


def test_english_bands_use_their_english_labels():
    text = " ".join(method_lines(Params.from_mapping({}, method="achievement_bands"), "en"))
    assert "Nearly achieved from 80%" in text and "達成" not in text.split("(")[0]
