"""The labels published documents put before an indicator's facts, in records and table headers.

'指標名：…', '初期値：1.38（平成26年）', '目標(指標)名 単位 現状 目標(平成31年度)', '出典：人口動態統計'.
``field_of`` says which fact a label names (and the year it carries), or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .build import fy_of

FIELDS = {
    "name": ("目標(指標)名", "目標（指標）名", "成果指標名", "指標の名称", "指標名", "目標指標", "評価指標",
             "数値目標", "成果指標", "KPI", "指標", "目標名", "項目"),
    "definition": ("目標(指標)の説明", "目標（指標）の説明", "指標の説明", "指標の定義", "指標の内容", "説明", "定義"),
    "unit": ("単位",),
    "base": ("計画策定時", "策定時", "初期値", "基準値", "従前値", "現状値", "現状", "基準"),
    "actual": ("実績値", "最新値", "直近値", "実績"),
    "target": ("最終目標値", "最終目標", "目標値", "目標"),
    "midterm": ("中間目標値", "中間目標"),
    "source": ("データ出典", "出典", "出所", "資料"),
    "department": ("指標担当部課等", "指標担当部課", "担当部課", "担当課", "所管課", "担当部署", "所管"),
    "direction": ("指標の方向性", "望ましい方向", "方向性"),
    "calculation": ("実績値の計算方法", "計算方法", "算出方法", "算定方法"),
    "rationale": ("目標値の設定根拠", "目標設定の考え方", "設定根拠"),
    "note": ("備考",),
}  # fmt: skip
_ALL = sorted(
    ((label, name) for name, labels in FIELDS.items() for label in labels), key=lambda p: -len(p[0])
)
_YEAR_IN_LABEL_RE = re.compile(r"^[(（]\s*(?P<y>[^)）]{2,14}?)\s*[)）]")


@dataclass(frozen=True, slots=True)
class Field:
    name: str  # name | definition | unit | base | actual | target | midterm | source | …
    label: str  # as written: 現状値(令和元年度)
    fy: int | None = None  # a year the label carries: 目標(平成31年度)
    rest: str = ""  # what follows the label in the same token or segment


def field_of(token: str) -> Field | None:
    """'目標(平成31年度)' -> Field('target', fy=2019); '単位' -> Field('unit'); '待機児童' -> None."""
    text = token.strip().lstrip("・■□◆◇●○【").strip()
    for label, name in _ALL:
        if not text.startswith(label):
            continue
        rest = text[len(label) :]
        fy = None
        m = _YEAR_IN_LABEL_RE.match(rest)
        if m and name not in ("name", "definition") and fy_of(m["y"].replace("度末", "度")) is not None:
            fy = fy_of(m["y"].replace("度末", "度"))
            rest = rest[m.end() :]
        rest = rest.lstrip("】")
        # the label may be only the start of a longer word ('目標値以上', '現状維持', '指標担当')
        longer = rest and not re.match(r"^\s*[:：]", rest)
        if longer and not (name in ("base", "target", "actual", "midterm") and re.match(r"^\s", rest)):
            continue
        return Field(name, text[: len(text) - len(rest)].strip(), fy, rest.lstrip(" :：").strip())
    return None
