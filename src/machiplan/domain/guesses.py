"""What an importer can only guess of an indicator from its name and unit, with why.

Whether an indicator's yearly values are a level, a per-year count or a running total,
whether it is a survey share, and which direction is better all change its evaluation,
and a document rarely says them outright. Every reader (import-sheet, import-table) takes
its guesses from here, and shows each one with its reason, so a person can correct it
before saving.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import plan as domain


@dataclass(frozen=True, slots=True)
class Guess:
    field: str  # measure | survey | direction
    value: object
    reason_ja: str
    reason_en: str
    sure: bool = False  # the name says it outright (累計) rather than suggests it

    def reason(self, lang: str) -> str:
        return self.reason_ja if lang == "ja" else self.reason_en


# per-year counts: what happened during the year (開催回数, 受講者数, 来場者数 …)
_FLOW_RE = re.compile(
    r"(件数|回数|(?<!法)人数|(?<!法)者数|人員|来場|入込|利用者|参加者|受講者|開催|発行|貸出|出動|訪問|延べ|新規|年間|/年|／年|年当たり|年あたり)"
)
# a state at the year's end: shares, rates, stocks (登録団体数, 施設数)
_LEVEL_RE = re.compile(
    r"(割合|率|比率|シェア|満足度|登録|加入|認定|認証|指定|整備|設置|保有|在籍|定員|施設数|箇所数|団体数)"
)
_SURVEY_RE = re.compile(
    r"(割合|と感じ|と思う|満足|意識|アンケート|実感|回答|市民の|住みやすい|住み続けたい|知っている|参加したことのある)"
)
_DECREASE_RE = re.compile(
    r"(待機児童|事故|犯罪|不法投棄|死亡|死者|削減|滞納|離職|空き家|待ち|発生件数|被害|ごみ|排出量|温室効果|負担|欠席|不登校|虐待|自殺|"
    r"未受診|放置|違反|苦情|肥満|喫煙|失業|廃棄|平均在所日数|待機|遅延|浸水|赤字|依存|孤立|低下)"
)


def guess_indicator(name: str, unit: str | None, operators: Iterable[str | None] = ()) -> tuple[Guess, ...]:
    """The measure, whether it is a survey share, and its direction, each with its reason.
    ``operators``: those of the indicator's targets (以上, 以下): the city's own word for which way
    is better, taken before the name's."""
    return (_measure(name, unit), _survey(name, unit), _direction(name, operators))


def _measure(name: str, unit: str | None) -> Guess:
    if "累計" in name or ("延べ" in name and "累計" in name):
        return Guess(
            "measure", domain.CUMULATIVE, "名称に「累計」", "'累計' (running total) in the name", sure=True
        )
    if unit in ("%", "％"):
        return Guess(
            "measure", domain.LEVEL, "単位が%（割合は年度末の水準）", "a % is a level at the year's end"
        )
    level = _LEVEL_RE.search(name)
    flow = _FLOW_RE.search(name)
    if flow and not (level and level.start() > flow.start()):
        word = flow.group(1)
        return Guess(
            "measure",
            domain.FLOW,
            f"名称の「{word}」は年度ごとの量",
            f"'{word}' in the name: an amount per year",
        )
    if level:
        word = level.group(1)
        return Guess(
            "measure", domain.LEVEL, f"名称の「{word}」は年度末の水準", f"'{word}' in the name: a level"
        )
    return Guess(
        "measure",
        domain.LEVEL,
        "手がかりがないため年度末の水準とみなす",
        "no clue in the name: taken as a level",
    )


def _survey(name: str, unit: str | None) -> Guess:
    if unit not in ("%", "％"):
        return Guess("survey", False, "単位が%でない", "not a %")
    found = _SURVEY_RE.search(name)
    if found:
        word = found.group(1)
        return Guess(
            "survey",
            True,
            f"単位が%で名称に「{word}」（アンケートの割合）",
            f"a % with '{word}' in the name: a survey share",
        )
    return Guess(
        "survey",
        False,
        "単位が%だが調査を示す語がない（業務統計の率）",
        "a % with no survey word: a rate from records",
    )


def _direction(name: str, operators: Iterable[str | None] = ()) -> Guess:
    said = {o for o in operators if o in (domain.AT_LEAST, domain.AT_MOST)}
    if said == {domain.AT_MOST}:  # 800g以下: the target says lower is better (a sum under a cap alike)
        return Guess(
            "direction",
            domain.DECREASE,
            "目標が「以下」: 少ないほど良い",
            "a target 'or less': lower is better",
            sure=True,
        )
    if said == {domain.AT_LEAST}:  # 事故ゼロ継続日数 365日以上: the target's word over the name's
        return Guess(
            "direction",
            domain.INCREASE,
            "目標が「以上」: 多いほど良い",
            "a target 'or more': higher is better",
            sure=True,
        )
    found = _DECREASE_RE.search(name)
    if found:
        word = found.group(1)
        return Guess(
            "direction",
            domain.DECREASE,
            f"名称の「{word}」は少ないほど良い",
            f"'{word}' in the name: lower is better",
        )
    return Guess(
        "direction",
        domain.INCREASE,
        "減らすことを示す語がないため増加を望ましいとみなす",
        "no word for less: higher taken as better",
    )
