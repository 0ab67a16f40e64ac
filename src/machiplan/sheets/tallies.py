"""What a city counted of its indicators, and the grades it counts them in.

- a scale in words: '目標値以上を◎、目標値と同等を○、目標値未満を△、進捗なしあるいは事業終了を×';
- counts in a sentence: '30項目が「目標値以上」、13項目が「目標値と同等」…';
- bands with counts: '80%以上 57 50%以上80%未満 12 50%未満 6 その他 3 合計 78';
- rows per node with shares: 'Ⅰ 子育て・教育 22 7 (31.8%) 4 (18.2%) 11 (50.0%)', whose column
  headings extraction lost (the grades are then named 区分1, 区分2 … and the guess is shown);
- indicators the city did not evaluate: '年間商品販売額については更新数値がなし'.
"""

from __future__ import annotations

import re

from machiplan.domain.plan import Grade, Rating, Tally

from .build import Builder, fy_of
from .common import key

_SYMBOL = r"[◎○◯△×▲●■□☆★]|[A-EＡ-Ｅ](?![a-zA-Z])"
_SCALE_PAIR_RE = re.compile(rf"(?P<label>[^、。をは\s「」]{{2,24}})を(?P<code>{_SYMBOL})")
_COUNT_RE = re.compile(
    r"(?P<n>\d{1,5})\s*(?:項目|指標|件|本|事業|施策)\s*(?:が|は|について(?:は)?)[^「」。]{0,50}?「(?P<label>[^」]{1,24})」"
)
_BAND = (
    r"(?:\d+(?:\.\d+)?%(?:以上|未満|以下|超)){1,2}|その他|評価なし|評価対象外|対象外|未評価|[◎○△×]|[A-E]評価"
)
_BANDS_RE = re.compile(rf"(?P<label>{_BAND})\s+(?P<n>\d{{1,5}})(?!\s*%)(?=\s|$)")
_TOTAL_RE = re.compile(r"^\s*(?:合計|計|総数)\s+(?P<n>\d{1,5})")
_NOT_EVALUATED_RE = re.compile(
    r"(?P<name>[^【】\s、。「」]{2,40}?)(?:について|に関して)(?:は)?[、\s]*(?P<reason>[^。【「」]{0,20}?(?:評価せず|評価しない|評価なし|更新数値がなし|数値がなし|対象外|未集計))"
)
_ROW_TOKEN_RE = re.compile(r"^\d{1,5}$|^[(（]\d+(?:\.\d+)?%[)）]$")


def read_tallies(b: Builder, lines) -> None:
    scale = _scale_in_words(b, lines)
    _counts_in_sentences(b, lines, scale)
    _bands(b, lines)


def fallback_fy(b: Builder) -> int | None:
    if b.evaluation_fy is not None:
        return b.evaluation_fy
    if b.period is not None:
        return b.period[1]
    return None


def _scale_in_words(b: Builder, lines) -> str | None:
    for ln in lines:
        pairs = _SCALE_PAIR_RE.findall(ln.text)
        if len(pairs) < 2:
            continue
        labels = _list_labels(lines, ln, len(pairs))
        grades = []
        for n, (label, code) in enumerate(pairs):
            label = re.sub(r"^(?:評価については|評価は|、)", "", label)
            grades.append(Grade(code=code, label=labels[n] if labels else label))
        name = "達成度" if any("達成度" in x.text for x in lines) else "評価"
        b.scale("achievement", name, grades)
        b.saw("scale", " ".join(f"{g.code}={g.label}" for g in grades), "「…を◎」の文を市の評価区分とみなす",
              "a sentence naming symbols ('…を◎') read as the city's grades", ln.number)  # fmt: skip
        return "achievement"
    return None


def _list_labels(lines, at, count: int) -> list[str]:
    """The list of grades under '評価区分' (their symbols often lost in extraction), in order."""
    for i, ln in enumerate(lines):
        if ln.text.strip() in ("評価区分", "評価の区分", "区分"):
            labels = []
            for nxt in lines[i + 1 : i + 1 + count]:
                labels.append(re.sub(rf"^(?:{_SYMBOL})\s*", "", nxt.text).strip())
            if len(labels) == count and all(labels):
                return labels
    return []


def _grade_for(b: Builder, scale_key: str, label: str) -> str:
    scale = b.scales[scale_key]
    for g in scale.grades:
        if label in (g.code, g.label):
            return g.code
    best, best_len = None, 2
    for g in scale.grades:
        shared = len(_common_prefix(key(g.label), key(label)))
        if shared > best_len:
            best, best_len = g, shared
    if best is not None:
        return best.code
    b.scale(scale_key, scale.name, [Grade(code=label, label=label)])
    return label


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


def _counts_in_sentences(b: Builder, lines, scale: str | None) -> None:
    for ln in lines:
        found = list(_COUNT_RE.finditer(ln.text))
        if len(found) < 2:
            continue
        fy = None
        for m in re.finditer(r"((?:平成|令和|H|R)\s*(?:\d{1,2}|元)\s*年度|(?:19|20)\d\d\s*年度)", ln.text):
            if m.start() < found[0].start():
                fy = fy_of(m.group(1).replace("年度", ""))
        fy = fy or fallback_fy(b)
        if fy is None:
            b.warn(ln.number, "counts of indicators without a year, left out", "年度のない指標数を除きました")
            return
        scale_key = scale or "achievement"
        if scale_key not in b.scales:
            b.scale(scale_key, "評価", [])
        for m in found:
            grade = _grade_for(b, scale_key, m["label"])
            b.tallies.append(
                Tally(fy=fy, scale=scale_key, grade=grade, count=int(m["n"]), source=b.where(ln.number))
            )
        b.saw("tally", f"{len(found)} counts", "「N項目が「…」」を市の区分ごとの指標数とみなす",
              "'N items were \"…\"' read as the city's count of indicators per grade", ln.number)  # fmt: skip
        return


def _bands(b: Builder, lines) -> None:
    for ln in lines:
        found = list(_BANDS_RE.finditer(ln.text))
        runs = _runs(found)
        for run in runs:
            if len(run) < 3:
                continue
            after = ln.text[run[-1].end() :]
            total = _TOTAL_RE.match(after)
            counts = [int(m["n"]) for m in run]
            if total and int(total["n"]) != sum(counts):
                b.warn(
                    ln.number,
                    f"the bands add up to {sum(counts)}, not the 合計 {total['n']}",
                    f"区分ごとの件数の和が{sum(counts)}で、合計{total['n']}と一致しません",
                )
            before = ln.text[: run[0].start()].split("】")[-1].split(" ")
            words = [w for w in before if w and not w.endswith("数")][-3:]
            words = [w for w in words if "実績" not in w or w.startswith("進捗")]
            name = " ".join(words).strip() or "区分"
            note = ""
            if total:
                rest = after[total.end() :]
                m = re.match(r"\s*備考\s+(?P<note>\S+)", rest)
                if m:
                    note = m["note"]
            fy = fallback_fy(b)
            if fy is None:
                b.warn(
                    ln.number, "counts of indicators without a year, left out", "年度のない指標数を除きました"
                )
                continue
            grades = [Grade(code=m["label"]) for m in run]
            b.scale("bands", name, grades)
            for n, m in enumerate(run):
                b.tallies.append(Tally(fy=fy, scale="bands", grade=m["label"], count=counts[n],
                                       note=note if (n == 0 and note and m["label"] in note[:12]) or (n == 0 and note) else "",
                                       source=b.where(ln.number)))  # fmt: skip
            b.saw("tally", name, "区分と指標数の並びを市の集計とみなす", "bands with counts read as the city's tally",
                  ln.number)  # fmt: skip
            return


def _runs(found):
    runs, current = [], []
    for m in found:
        if current and m.start() - current[-1].end() > 3:
            runs.append(current)
            current = []
        current.append(m)
    if current:
        runs.append(current)
    return runs


def not_evaluated(text: str) -> list[tuple[list[str], str]]:
    """'年間商品販売額については更新数値がなし' -> ([年間商品販売額], '更新数値がなし');
    'X講座数・会員数については…' names two indicators: X講座数 and X会員数."""
    out = []
    for m in _NOT_EVALUATED_RE.finditer(text):
        names = split_names(m["name"])
        out.append((names, re.sub(r"\s+", "", m["reason"]).strip("、")))
    return out


def split_names(name: str) -> list[str]:
    """'生きがいと創造の事業講座数・会員数' -> ['生きがいと創造の事業講座数', '生きがいと創造の事業会員数']."""
    parts = name.split("・")
    if (
        len(parts) == 2
        and 2 <= len(parts[1]) <= 4
        and parts[0].endswith(parts[1][-1])
        and len(parts[0]) > len(parts[1]) + 2
    ):
        first, second = parts
        return [first, first[: -len(second)] + second]
    return [name]


def rate_not_evaluated(b: Builder, found: list[tuple[str | None, int, list[str], str]]) -> None:
    """Indicators the city did not evaluate, rated in its band for them (その他, 評価なし) with its reason."""
    if not found:
        return
    band = None
    for scale in b.scales.values():
        for g in scale.grades:
            if g.code in ("その他", "評価なし", "対象外", "評価対象外", "未評価"):
                band = (scale.key, g.code)
    fy = fallback_fy(b)
    for node, line, names, reason in found:
        for name in names:
            from machiplan.domain.plan import Indicator

            code = b.unique_code(f"ne-{len(b.indicators) + 1}")
            ratings = ()
            if band and fy is not None:
                ratings = (Rating(fy=fy, scale=band[0], grade=band[1], note=reason, source=b.where(line)),)
            b.indicator(Indicator(code=code, name=name, nodes=(node,) if node else (), ratings=ratings,
                                  note=reason), line=line)  # fmt: skip
            if len(names) > 1:
                b.saw(
                    "split",
                    name,
                    "「…数・…数」を二つの指標とみなす",
                    "'A数・B数' read as two indicators",
                    line,
                )


def row_tallies(
    b: Builder, rows: list[tuple[str | None, int, list[str]]]
) -> list[tuple[str | None, int, list[str]]]:
    """Rows 'N c1 (s1%) c2 (s2%) …' under nodes, column headings lost: tallies in grades 区分1, 区分2 ….

    Returns the rows that are no such thing (for the caller to place otherwise)."""
    parsed: list[tuple[str | None, int, int, list[int]]] = []
    rest: list[tuple[str | None, int, list[str]]] = []
    for node, line, tokens in rows:
        tokens = [t for t in tokens if t]
        while tokens:
            shape = _row_shape(tokens)
            if shape is None:
                break
            total, counts, used = shape
            parsed.append((node, line, total, counts))
            tokens = tokens[used:]
            node = None  # what follows the first row on a node's line is a row of its own (the total)
        if tokens:
            rest.append((node, line, tokens))
    widths = {len(c) for *_, c in parsed}
    if len(parsed) < 2 or len(widths) != 1:
        return rows if len(parsed) < 2 else rest
    width = widths.pop()
    fy = fallback_fy(b)
    if fy is None:
        b.warn(parsed[0][1], "counts of indicators without a year, left out", "年度のない指標数を除きました")
        return rest
    grades = [
        Grade(code=f"区分{n + 1}", label=f"表の{n + 1}列目の区分（見出しは失われている）")
        for n in range(width)
    ]
    b.scale("class", "区分（列見出しなし）", grades)
    b.saw("scale", f"区分1…区分{width}", "件数と割合の列の見出しが抽出で失われている: 列の順に区分1…と名づける",
          "the headings of the count columns were lost in extraction: named 区分1… in column order", parsed[0][1])  # fmt: skip
    node_totals = sum(t for n, _, t, _ in parsed if n is not None)
    for node, line, total, counts in parsed:
        if sum(counts) != total:
            b.warn(
                line,
                f"the counts {counts} do not add up to {total}",
                f"件数{counts}の和が{total}になりません",
            )
        if node is None and total != node_totals:
            b.warn(
                line,
                f"a row of counts without a heading ({total}), not the sum of the rows ({node_totals}): the plan's all the same",
                f"見出しのない件数の行（{total}）が各行の和（{node_totals}）と一致しません：計画全体の件数として読み込みます",
            )
        for n, count in enumerate(counts):
            tally = Tally(fy=fy, scale="class", grade=f"区分{n + 1}", count=count, source=b.where(line))
            if node is None:
                b.tallies.append(tally)
            else:
                b.update_node(node, tallies=(*b.nodes[node].tallies, tally))
    return rest


def _row_shape(tokens: list[str]):
    if not tokens or not tokens[0].isdigit():
        return None
    total = int(tokens[0])
    counts, i = [], 1
    while (
        i + 1 < len(tokens) and tokens[i].isdigit() and re.match(r"^[(（]\d+(?:\.\d+)?%[)）]$", tokens[i + 1])
    ):
        counts.append(int(tokens[i]))
        i += 2
    if len(counts) < 2:
        return None
    return total, counts, i


def numeric(tokens: list[str]) -> bool:
    return bool(tokens) and all(_ROW_TOKEN_RE.match(t) for t in tokens)
