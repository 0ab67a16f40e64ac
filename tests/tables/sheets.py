"""A dozen tables as cities keep them, written by code (openpyxl for XLSX), from the shared
examples' facts (/work/shared/examples/real): each function gives the file's name and bytes.

    urakawa_r4        進捗管理表, a row per indicator with year columns and 区分, 施策番号 1-1-2,
                      merged 基本目標 cells, two header rows, notes with ※1 below (XLSX); urakawa_r5 is
                      next year's sheet of the same plan
    chiba             成果指標, 現状値 | 目標値 with the year in each cell, 以上, 千円 / 億円, series,
                      出典 (CSV, CP932)
    tsukuba           KPI sheet: 目標 / 実績 rows per KPI (the name merged over both), Ⅰ-1-(1) codes,
                      従前値 with 基準年度 / 目標年度, the years under a merged 年度 (XLSX)
    mima              成果指標一覧: 1章 / ① rows head the groups (merged across), 現状 | 目標(平成31年度),
                      a target in words, 目標(指標)の説明, notes below (XLSX)
    ino               KPI 一覧: 初期値(計画策定時) | 現状値 | 目標値, cells like 32.0%(平成27年度), Ⅰ-2-(3)
                      施策番号 with 施策名, 指標の説明, 出典 (CSV, UTF-16)
    ogaki             long: 基本目標 | 指標名 | 単位 | 年度 | 区分 | 値 (CSV, UTF-8 with BOM)
    fuji              long with kind columns: 施策コード 11102 | 施策指標 | 単位 | 年度 | 目標値 | 実績値,
                      千円, a note below (XLSX)
    nanto             施策マネジメント: three header rows, 政策 | 施策 columns merged down, units in the
                      name (k㎡), 測定企画 and 成果指標設定の考え方 (XLSX)
    fukuoka           進捗状況: 施策番号 1-1 | 施策名, H28実績 … R2目標, ▲ (CSV, CP932, CRLF)
    sapporo           成果指標 of the seed: 状況 as of a day, 今後調査, —, a breakdown, 参考, 累計 (XLSX)
    abira             units in the header (件) and （単位：件） above the table, 政策分野 Ⅰ–Ⅵ merged (XLSX)
    urakawa_arrows    現状 → 目標 in one cell, (1) / 1. group rows, ① numbers, a unit that changes,
                      a typo (4億3,0000万円) (CSV, UTF-16 with BOM)
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

# fmt: off  (the tables below are laid out as the cities lay them out)


def _book(title: str) -> tuple[Workbook, object]:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    return book, sheet


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list[object]], encoding: str, newline: str = "\n") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(rows)
    text = out.getvalue()
    if encoding == "utf-8-sig":
        return "\ufeff".encode() + text.encode("utf-8")
    return text.encode(encoding)


def _rows(sheet, first: int, rows: list[list[object]]) -> None:
    for n, row in enumerate(rows):
        for k, value in enumerate(row):
            if value is not None and value != "":
                sheet.cell(row=first + n, column=k + 1, value=value)


# --- 1. urakawa_r4: the 進捗管理表 of year columns ----------------------------------------------------

URAKAWA_TITLE = "浦河町地方創生総合戦略 KPI進捗管理表（令和4年度）"
URAKAWA_HEADER_1 = [
    "基本目標",
    "施策番号",
    "施策名",
    "区分",
    "指標名",
    "単位",
    "令和元年",
    "実績",
    None,
    "令和4年",
    None,
    "5ヵ年目標",
    "担当課",
    "備考",
]
URAKAWA_HEADER_2 = [
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    "令和2年実績",
    "令和3年実績",
    "9月30日現在",
    "末見込",
    None,
    None,
    None,
]
URAKAWA_GOAL_1 = "1 競争力のある産業振興による活力あるまちづくり"
URAKAWA_GOAL_2 = "2 潜在価値と魅力を活かした選ばれるまちづくり"
URAKAWA_ROWS = [
    [
        URAKAWA_GOAL_1,
        "1-1",
        "第一次産業の振興",
        "KPI",
        "新規就農者数",
        "組",
        1,
        2,
        3,
        1,
        3,
        "年4組",
        "農林水産課",
        "",
    ],
    [
        None,
        "1-1",
        "第一次産業の振興",
        "KPI",
        "給食での地場産物利用率",
        "%",
        33,
        34.5,
        35.2,
        36,
        None,
        "38%以上",
        "学校給食センター",
        "",
    ],
    [
        None,
        "1-2",
        "新たな観光産業の振興",
        "KPI",
        "着地型・体験型観光による入込者数※1",
        "人",
        41,
        12,
        35,
        40,
        52,
        "2,000人以上",
        "商工観光課",
        "",
    ],
    [
        None,
        "1-2",
        "新たな観光産業の振興",
        "KPI",
        "観光客の苦情件数",
        "件",
        12,
        10,
        9,
        "▲3",
        None,
        "15件以下",
        "商工観光課",
        "前年度との差",
    ],
    [
        URAKAWA_GOAL_2,
        "2-1",
        "移住・定住の促進",
        "KGI",
        "転入者数",
        "人",
        715,
        690,
        702,
        "R4.9.30現在 350",
        710,
        800,
        "企画課",
        "",
    ],
    [
        None,
        "2-1",
        "移住・定住の促進",
        "KPI",
        "空き家バンク登録件数",
        "件",
        5,
        7,
        9,
        "―",
        None,
        "15件以上",
        "企画課",
        "",
    ],
]
URAKAWA_NOTES = [
    "※1 入込者数は令和2年度から新型コロナウイルス感染症の影響を受けている。",
    "※ 令和4年度の実績は9月30日現在の速報値。",
    "出典：浦河町企画課調べ",
]


def urakawa_r4(line_above: str | None = None) -> tuple[str, bytes]:
    """``line_above``: a line between the title and the table, which moves the table down a row."""
    book, sheet = _book("進捗管理表")
    sheet["A1"] = URAKAWA_TITLE
    sheet["A1"].font = Font(bold=True)
    d = 1 if line_above else 0
    if line_above:
        sheet["A2"] = line_above
    _rows(sheet, 3 + d, [URAKAWA_HEADER_1, URAKAWA_HEADER_2])
    for col in "ABCDEFGLMN":  # the one-row headings stand over both header rows
        sheet.merge_cells(f"{col}{3 + d}:{col}{4 + d}")
    sheet.merge_cells(f"H{3 + d}:I{3 + d}")  # 実績 over 令和2年実績 | 令和3年実績
    sheet.merge_cells(f"J{3 + d}:K{3 + d}")  # 令和4年 over 9月30日現在 | 末見込
    _rows(sheet, 5 + d, URAKAWA_ROWS)
    sheet.merge_cells(f"A{5 + d}:A{8 + d}")  # 基本目標 1 over its four KPI
    sheet.merge_cells(f"A{9 + d}:A{10 + d}")
    for row in sheet.iter_rows(min_row=5 + d, max_row=10 + d, max_col=1):
        row[0].alignment = Alignment(vertical="top", wrap_text=True)
    _rows(sheet, 12 + d, [[n] for n in URAKAWA_NOTES])
    return "成果指標.xlsx", _save(book)


def urakawa_r5() -> tuple[str, bytes]:
    """Next year's sheet: 令和4年 is now an actual, 令和5年 so far and forecast, a KPI added, a
    column (令和4年実績) moved in, so every column after it has shifted."""
    book, sheet = _book("進捗管理表")
    sheet["A1"] = URAKAWA_TITLE.replace("令和4年度", "令和5年度")
    header_1 = [*URAKAWA_HEADER_1[:7], "実績", None, None, "令和5年", None, *URAKAWA_HEADER_1[11:]]
    header_2 = [None] * 7 + [
        "令和2年実績",
        "令和3年実績",
        "令和4年実績",
        "9月30日現在",
        "末見込",
        None,
        None,
        None,
    ]
    _rows(sheet, 3, [header_1, header_2])
    for col in "ABCDEFGMNO":
        sheet.merge_cells(f"{col}3:{col}4")
    sheet.merge_cells("H3:J3")
    sheet.merge_cells("K3:L3")
    rows = [
        [
            URAKAWA_GOAL_1,
            "1-1",
            "第一次産業の振興",
            "KPI",
            "新規就農者数",
            "組",
            1,
            2,
            3,
            4,
            2,
            4,
            "年4組",
            "農林水産課",
            "",
        ],
        [
            None,
            "1-1",
            "第一次産業の振興",
            "KPI",
            "給食での地場産物利用率",
            "%",
            33,
            34.5,
            35.2,
            36.4,
            37,
            None,
            "38%以上",
            "学校給食センター",
            "",
        ],
        [
            None,
            "1-2",
            "新たな観光産業の振興",
            "KPI",
            "着地型・体験型観光による入込者数※1",
            "人",
            41,
            12,
            35,
            48,
            30,
            55,
            "2,000人以上",
            "商工観光課",
            "",
        ],
        [
            None,
            "1-2",
            "新たな観光産業の振興",
            "KPI",
            "観光客の苦情件数",
            "件",
            12,
            10,
            9,
            7,
            None,
            None,
            "15件以下",
            "商工観光課",
            "前年度との差",
        ],
        [
            URAKAWA_GOAL_2,
            "2-1",
            "移住・定住の促進",
            "KGI",
            "転入者数",
            "人",
            715,
            690,
            702,
            705,
            "R5.9.30現在 360",
            720,
            800,
            "企画課",
            "",
        ],
        [
            None,
            "2-1",
            "移住・定住の促進",
            "KPI",
            "空き家バンク登録件数",
            "件",
            5,
            7,
            9,
            11,
            None,
            None,
            "15件以上",
            "企画課",
            "",
        ],
        [
            None,
            "2-1",
            "移住・定住の促進",
            "KPI",
            "移住相談件数",
            "件",
            None,
            None,
            None,
            85,
            50,
            100,
            "年120件",
            "企画課",
            "令和5年度から",
        ],
    ]
    _rows(sheet, 5, rows)
    sheet.merge_cells("A5:A8")
    sheet.merge_cells("A9:A11")
    _rows(sheet, 13, [[n] for n in URAKAWA_NOTES])
    return "成果指標.xlsx", _save(book)


# --- 2. chiba: 現状値 | 目標値, each cell holding its own year (CSV, CP932) -------------------------------

CHIBA_OVERALL = "生活満足度（Well-being指標）11段階評価（0～10）のうち6以上を選択する人の割合"
CHIBA_ROWS = [
    ["分野", "種別", "指標名", "系列", "単位", "現状値", "目標値", "出典"],
    [
        "",
        "KGI",
        CHIBA_OVERALL,
        "",
        "%",
        "74.3%（2025年）",
        "80.0%以上（2032年度末）",
        "千葉市まちづくりアンケート",
    ],
    [
        "3 健康・福祉",
        "KGI",
        "健康寿命の延伸",
        "男性",
        "年",
        "80.04（2020年度）",
        "平均寿命の増加分を上回る健康寿命の増加（2028年度末）",
        "国勢調査・人口動態調査・第1号被保険者数及び要介護認定者数を基に健康寿命の算定プログラムにより算定",
    ],
    [
        "3 健康・福祉",
        "KGI",
        "健康寿命の延伸",
        "女性",
        "年",
        "84.78（2020年度）",
        "平均寿命の増加分を上回る健康寿命の増加（2028年度末）",
        "",
    ],
    [
        "3 健康・福祉",
        "KPI",
        "介護・支援を必要としない高齢者の割合（75歳以上85歳未満）",
        "",
        "%",
        "81.9%（2024年度末）",
        "82.2%（2028年度末）",
        "所管課集計",
    ],
    [
        "4 子ども・教育",
        "KGI",
        "市内に安心して出産・育児ができる環境があると感じる人の割合",
        "",
        "%",
        "44.9%（2021年度）",
        "64.0%（2028年度末）",
        "千葉市まちづくりアンケート",
    ],
    [
        "4 子ども・教育",
        "KPI",
        "保育所待機児童数",
        "",
        "人",
        "0人（2024年度末）",
        "0人（2028年度末）",
        "所管課集計",
    ],
    [
        "4 子ども・教育",
        "KGI",
        "一時保護児童一人当たりの平均在所日数",
        "",
        "日",
        "68.3日（2024年度末）",
        "52.0日（2028年度末）",
        "こどもの福祉と保健に関する状況報告",
    ],
    [
        "4 子ども・教育",
        "KGI",
        "将来の夢や目標を持っている児童生徒の割合",
        "小学6年生",
        "%",
        "83.5%（2024年度末）",
        "87.0%（2028年度末）",
        "全国学力・学習状況調査結果",
    ],
    [
        "4 子ども・教育",
        "KGI",
        "将来の夢や目標を持っている児童生徒の割合",
        "中学3年生",
        "%",
        "64.2%（2024年度末）",
        "71.0%（2028年度末）",
        "全国学力・学習状況調査結果",
    ],
    [
        "8 地域経済",
        "KGI",
        "市民一人当たりの総生産額（名目）",
        "",
        "千円",
        "4,344千円（2020年度）",
        "4,488千円（2025年度）",
        "市民経済計算及び各年4月付の推計人口",
    ],
    [
        "8 地域経済",
        "KPI",
        "市内農業産出額",
        "",
        "億円",
        "90.4億円（2023年度）",
        "93.1億円（2027年度）",
        "農林水産省市町村別農業産出額（推計）",
    ],
]


def chiba() -> tuple[str, bytes]:
    return "chiba-kpi.csv", _csv(CHIBA_ROWS, "cp932", newline="\r\n")


# --- 3. tsukuba: a row per kind (目標 / 実績), the years under a merged 年度 (XLSX) --------------------------

TSUKUBA_KPI_1 = "平成27年度から平成31年度までの国際戦略総合特区新規プロジェクトの創出数"
TSUKUBA_KPI_2 = "研究機関と連携した実証実験の件数"


def tsukuba() -> tuple[str, bytes]:
    book, sheet = _book("KPI")
    sheet["A1"] = "まち・ひと・しごと創生事業 平成27年度実績評価シート【個別施策-重要業績評価指標(KPI)】"
    sheet["A2"] = "つくば市"
    header_1 = ["基本目標", "基本施策", "個別施策", "KPI", "単位", "区分", "従前値", "基準年度", "年度", None, None, None, None,
                "目標値", "目標年度", "指標担当部課", "設定根拠", "実績値の計算方法", "数値確定の時期"]  # fmt: skip
    header_2 = [None] * 8 + ["H27", "H28", "H29", "H30", "H31"] + [None] * 6
    _rows(sheet, 4, [header_1, header_2])
    for col in "ABCDEFGHNOPQRS":
        sheet.merge_cells(f"{col}4:{col}5")
    sheet.merge_cells("I4:M4")
    goal = "Ⅰ つくば市の特性をいかした産業競争力の強化でしごとをつくる"
    policy = "1 筑波研究学園都市に集積する最先端の科学技術から新たな産業をつくる"
    measure = "(1)科学技術の振興によるまちづくり"
    rows = [
        [
            goal,
            policy,
            measure,
            TSUKUBA_KPI_1,
            "プロジェクト",
            "目標",
            7,
            "H27",
            "-",
            "-",
            "-",
            "-",
            12,
            12,
            "H31",
            "科学技術・特区推進課",
            "区申請時(平成23年)の新規プロジェクトの創出数は4件,現在(平成27年)は合計8プロジェクトが創出されているため,5プロジェクトを目指します。",
            "新規プロジェクトとして国に報告した件数のカウント",
            "H27数値確定",
        ],
        [
            None,
            None,
            None,
            None,
            None,
            "実績",
            None,
            None,
            8,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ],
        [
            None,
            None,
            measure,
            TSUKUBA_KPI_2,
            "件",
            "目標",
            3,
            "H26",
            4,
            5,
            6,
            7,
            8,
            8,
            "H31",
            "科学技術・特区推進課",
            "",
            "",
            "",
        ],
        [
            None,
            None,
            None,
            None,
            None,
            "実績",
            None,
            None,
            5,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ],
    ]
    _rows(sheet, 6, rows)
    sheet.merge_cells("A6:A9")
    sheet.merge_cells("B6:B9")
    sheet.merge_cells("C6:C9")
    for col in "DEGHNOPQRS":
        sheet.merge_cells(f"{col}6:{col}7")
        sheet.merge_cells(f"{col}8:{col}9")
    return "tsukuba-kpi-h27.xlsx", _save(book)


# --- 4. mima: groups headed by rows (1章, ①), merged across (XLSX) -----------------------------------------


def mima() -> tuple[str, bytes]:
    book, sheet = _book("成果指標")
    sheet["A1"] = "美馬市総合計画 成果指標（目標年次 平成31年度）"
    _rows(sheet, 3, [["目標(指標)名", "単位", "現状", "目標(平成31年度)", "目標(指標)の説明"]])
    rows = [
        ["1章 市民の個性と能力が発揮できるまちづくり(教育・文化)"],
        ["①子育て・就学前教育"],
        [
            "待機児童",
            "人",
            0,
            0,
            "市では待機児童は存在しないが、今後も保育ニーズ量に対する受け皿を確保していく。",
        ],
        ["認定こども園", "カ所", 1, 3, "子ども・子育て支援新制度における認定子ども園を計画的に整備する。"],
        ["母子・父子相談件数", "件", 943, 1000, "多様化する相談内容に対し、細やかな対応を実施する。"],
        ["(幼稚園教諭の)保育士資格取得", "%", 0, "全員取得", "幼稚園教諭の保育士資格の取得を促進する。"],
        ["②義務教育"],
        ["非構造部材耐震補強実施率", "%", 43, 100, "学校施設の非構造部材の耐震化を進める。"],
        ["⑤生涯スポーツ"],
        ["総合型スポーツクラブの加入者数", "人", 1170, 1300, ""],
        ["市体育協会会員数", "人", 1624, 1800, ""],
        ["市スポーツ少年団加入者数", "人", 261, 280, ""],
    ]
    _rows(sheet, 4, rows)
    for row in (4, 5, 10, 12):
        sheet.merge_cells(f"A{row}:E{row}")
    sheet["D8"].number_format = "#,##0"  # shown 1,000
    _rows(sheet, 17, [["※現状は平成26年度末の数値です。"], ["※母子・父子相談件数は延べ件数。"]])
    return "mima-seika.xlsx", _save(book)


# --- 5. ino: 初期値 | 現状値 | 目標値 with 32.0%(平成27年度) cells, Ⅰ-2-(3) codes (CSV, UTF-16) ---------------

INO_ROWS = [
    ["施策番号", "施策名", "指標名", "単位", "初期値(計画策定時)", "現状値", "目標値", "指標の説明", "出典"],
    [
        "Ⅰ-1-(1)",
        "紙産業の振興",
        "紙の町いのの認知度",
        "%",
        "32.0%(平成27年度)",
        "35.5%(平成29年度)",
        "50.0%(平成31年度)",
        "いの町を「紙の町」として知っている人の割合",
        "町外向けアンケート",
    ],
    [
        "Ⅰ-1-(1)",
        "紙産業の振興",
        "新規就業者数(累計)",
        "人",
        "0人(平成26年度)",
        "12人(平成29年度)",
        "20人以上(平成31年度)",
        "紙産業に新たに就業した人の累計",
        "産業経済課調べ",
    ],
    [
        "Ⅰ-2-(3)",
        "観光の振興",
        "観光入込客数",
        "人",
        "312,000人(平成26年)",
        "345,000人(平成29年)",
        "400,000人(平成31年)",
        "暦年の観光入込客数",
        "高知県観光客入込数調査",
    ],
    [
        "Ⅱ-1-(1)",
        "結婚・出産の希望をかなえる",
        "合計特殊出生率",
        "",
        "1.38(平成25年)",
        "1.45(平成29年)",
        "1.60(平成31年度)",
        "",
        "人口動態統計",
    ],
]


def ino() -> tuple[str, bytes]:
    return "ino-kpi.csv", _csv(INO_ROWS, "utf-16")


# --- 6. ogaki: long, a row per indicator, year and kind (CSV, UTF-8 with BOM) -----------------------------

OGAKI_ROWS = [
    ["基本目標", "指標名", "単位", "年度", "区分", "値"],
    ["1 子育て日本一が実感できるまちの創生", "合計特殊出生率", "", "H26", "基準値", "1.55"],
    ["1 子育て日本一が実感できるまちの創生", "合計特殊出生率", "", "H28", "目標", "1.57"],
    ["1 子育て日本一が実感できるまちの創生", "合計特殊出生率", "", "H28", "実績", "1.58"],
    ["1 子育て日本一が実感できるまちの創生", "合計特殊出生率", "", "H31", "目標", "1.65"],
    ["4 安全・安心なくらしの創生", "自主防災訓練参加者数", "人", "H26", "基準値", "12,000"],
    ["4 安全・安心なくらしの創生", "自主防災訓練参加者数", "人", "H27", "実績", "13,100"],
    ["4 安全・安心なくらしの創生", "自主防災訓練参加者数", "人", "H28", "目標", "13,500"],
    ["4 安全・安心なくらしの創生", "自主防災訓練参加者数", "人", "H28", "実績", "14,200"],
    ["4 安全・安心なくらしの創生", "自主防災訓練参加者数", "人", "H29", "見込", "14,500"],
    ["4 安全・安心なくらしの創生", "自主防災訓練参加者数", "人", "H31", "目標", "15,000"],
    ["5 広域連携による圏域の新たな魅力の創生", "西美濃地域の観光入込客数", "万人", "H26", "基準値", "1,020"],
    ["5 広域連携による圏域の新たな魅力の創生", "西美濃地域の観光入込客数", "万人", "H28", "実績", "1,064"],
    ["5 広域連携による圏域の新たな魅力の創生", "西美濃地域の観光入込客数", "万人", "H31", "目標", "1,100"],
]


def ogaki() -> tuple[str, bytes]:
    return "ogaki-h28.csv", _csv(OGAKI_ROWS, "utf-8-sig")


# --- 7. fuji: long with kind columns, codes 10301 (XLSX) ----------------------------------------------------


def fuji() -> tuple[str, bytes]:
    book, sheet = _book("施策指標")
    sheet["A1"] = "第五次富士市総合計画 前期基本計画 代表的な施策指標の実績"
    _rows(sheet, 2, [["施策コード", "施策指標", "単位", "年度", "目標値", "実績値"]])
    rows = [
        ["10101", "自主防災訓練参加者数", "人", "H23", None, "41,200"],
        ["10101", "自主防災訓練参加者数", "人", "H25", "45,000", "44,800"],
        ["10101", "自主防災訓練参加者数", "人", "H27", "48,000", "47,350"],
        ["20401", "生きがいと創造の事業講座数", "講座", "H23", None, 24],
        ["20401", "生きがいと創造の事業講座数", "講座", "H25", 26, 25],
        ["30301", "年間商品販売額", "千円", "H23", None, "780,512,000千円"],
        ["30301", "年間商品販売額", "千円", "H27", "800,000,000", "―"],
    ]
    _rows(sheet, 3, rows)
    _rows(sheet, 11, [["※【第3章第3節 商業・流通】年間商品販売額については更新数値がなし"],
                      ["※【第2章第4節 地域福祉】生きがいと創造の事業講座数については、事業終了につき、評価せず"]])  # fmt: skip
    return "fuji-shisaku.xlsx", _save(book)


# --- 8. nanto: three header rows, 政策 | 施策 merged down (XLSX) ------------------------------------------------


def nanto() -> tuple[str, bytes]:
    book, sheet = _book("H27事後評価")
    sheet["A1"] = "南砺市 施策マネジメントシート（平成27年度事後評価）"
    header = [
        [
            "政策",
            "施策",
            "成果指標",
            None,
            "年度別の値",
            None,
            None,
            None,
            "成果指標設定の考え方",
            "成果指標の測定企画",
        ],
        [None, None, "名称", "単位", "平成25年度", "平成26年度", "平成27年度", "平成31年度", None, None],
        [None, None, None, None, "実績", "実績", "実績", "目標", None, None],
    ]
    _rows(sheet, 3, header)
    for col in "ABIJ":
        sheet.merge_cells(f"{col}3:{col}5")
    sheet.merge_cells("C3:D3")
    sheet.merge_cells("E3:H3")
    sheet.merge_cells("C4:C5")
    sheet.merge_cells("D4:D5")
    rows = [
        [
            "1 自然に優しい住みよいまちづくり",
            "1 自然環境の保全と活用",
            "自然環境（散居村景観含む）が美しく保たれると思う市民の割合",
            "%",
            61.2,
            63.0,
            62.4,
            70,
            "A:自然環境が美しく保たれていると感じる市民の意識を測る",
            "市民意識調査",
        ],
        [
            None,
            None,
            "散居景観保全協定の締結数",
            "件",
            12,
            14,
            15,
            20,
            "B:散居景観の保全の取組の広がりを測る",
            "エコビレッジ推進課調べ",
        ],
        [
            None,
            None,
            "不法投棄件数",
            "件",
            58,
            51,
            47,
            30,
            "C:生活環境の保全の度合いを測る",
            "生活環境課調べ",
        ],
        [
            None,
            None,
            "森づくり活動の参加数",
            "人",
            820,
            905,
            1012,
            1200,
            "D:森を守る活動への市民参加を測る",
            "農林課調べ",
        ],
        [None, None, "市内河川BOD基準達成率", "%", 92.9, 100, 100, 100, "E:河川の水質を測る", "水質測定結果"],
        [
            None,
            None,
            "森林面積（k㎡）",
            None,
            540.1,
            540.0,
            539.8,
            None,
            "対象指標",
            "富山県森林・林業統計書",
        ],
    ]
    _rows(sheet, 6, rows)
    sheet.merge_cells("A6:A11")
    sheet.merge_cells("B6:B11")
    for cell in ("E6", "F6", "G6"):
        sheet[cell].number_format = "0.0"
    return "nanto-shisaku.xlsx", _save(book)


# --- 9. fukuoka: 施策番号 1-1 | 施策名, year columns (CSV, CP932, CRLF) ---------------------------------------

FUKUOKA_ROWS = [
    ["施策番号", "施策名", "指標", "単位", "H28実績", "H29実績", "H30実績", "R2目標"],
    ["1-1", "相談支援", "基幹相談支援センターの相談件数", "件", "14,820", "15,961", "16,230", "18,000"],
    ["1-2", "在宅サービスの推進", "グループホームの定員数", "人", "1,632", "1,748", "1,821", "2,100"],
    ["1-3", "移動・外出支援", "移動支援の利用者数（月平均）", "人", "1,510", "1,498", "1,467", "1,600"],
    ["1-11", "災害対策の推進", "避難行動要支援者名簿の同意者の割合", "%", "38.5", "40.1", "▲", "50.0"],
    ["1-14", "「親なき後」の支援", "地域生活支援拠点の整備数", "か所", "0", "1", "2", "7"],
]


def fukuoka() -> tuple[str, bytes]:
    return "fukuoka-shogai.csv", _csv(FUKUOKA_ROWS, "cp932", newline="\r\n")


# --- 10. sapporo: the seed's indicators as a table (XLSX) -------------------------------------------------------


def sapporo() -> tuple[str, bytes]:
    book, sheet = _book("成果指標")
    sheet["A1"] = "札幌市 第2期市民まちづくり活動促進基本計画 成果指標"
    header = [
        "基本目標",
        "区分",
        "指標名",
        "単位",
        "H25実績",
        "H26実績",
        "H27実績",
        "H28実績",
        "H29状況",
        "H30目標",
    ]
    rows = [
        [
            "1 参加",
            "参加の実感",
            "市民まちづくり活動に参加したことのある市民の割合",
            "%",
            0.324,
            0.941,
            0.921,
            0.918,
            "今後調査",
            0.95,
        ],
        [None, "町内会加入", "町内会加入率", "%", 0.715, 0.713, 0.711, 0.709, "—", 0.72],
        [
            None,
            "寄附による参加",
            "さぽーとほっと基金寄附件数",
            "件",
            229,
            331,
            300,
            367,
            "69件 (H29.9.15時点)",
            400,
        ],
        [
            None,
            "寄附による参加",
            "さぽーとほっと基金寄附金額（累計）",
            "円",
            "約4億2,500万円",
            "約4億5,000万円",
            "約4億7,300万円",
            "約4億9,600万円",
            None,
            "約5億2,000万円",
        ],
        ["2 向上", "組織化", "NPO法人数", "団体", 2280, 2303, 2310, 2318, "2,684 団体 (H29.8.31.時点)", 2400],
        [
            None,
            "資金調達力",
            "認定・仮認定・条例個別指定NPO法人数",
            "団体",
            9,
            11,
            13,
            "15 認定9、仮認定5、条例個別指定1",
            None,
            20,
        ],
        [
            None,
            "運営基盤",
            "参考:市民活動サポートセンター登録団体数",
            "団体",
            1048,
            1102,
            1150,
            1197,
            None,
            None,
        ],
    ]
    _rows(sheet, 3, [header, *rows])
    for row in range(4, 6):
        for col in "EFGHJ":
            sheet[f"{col}{row}"].number_format = "0.0%"
    sheet.merge_cells("A4:A7")
    sheet.merge_cells("A8:A10")
    return "sapporo-seika.xlsx", _save(book)


# --- 11. abira: units in the header (件), （単位：件） above the table (XLSX) ---------------------------------------


def abira() -> tuple[str, bytes]:
    book, sheet = _book("前期検証")
    sheet["A1"] = "第2次安平町総合計画 前期基本計画の検証"
    sheet["A2"] = "（単位：件）"
    _rows(sheet, 3, [["政策分野", "指標", "H29実績（件）", "H30実績（件）", "目標（件）", "達成率"]])
    rows = [
        ["Ⅰ 子育て・教育", "子育て支援センターの相談件数", 1204, 1310, 1400, "93.6%"],
        [None, "放課後子ども教室の開催回数", 96, 104, 120, "86.7%"],
        ["Ⅲ 経済・産業", "創業支援の相談件数", 18, 24, 30, "80.0%"],
        ["Ⅴ 生活環境・生活基盤", "町営住宅の修繕件数", 41, 37, 40, "92.5%"],
    ]
    _rows(sheet, 4, rows)
    sheet.merge_cells("A4:A5")
    sheet["A4"].alignment = Alignment(vertical="center")
    return "abira-kensho.xlsx", _save(book)


# --- 12. urakawa_arrows: 現状 → 目標 in one cell, groups headed by rows (CSV, UTF-16 with BOM) --------------------

URAKAWA_ARROW_ROWS = [
    ["No", "指標", "現状→目標"],
    ["1.競争力のある産業振興による活力あるまちづくり", "", ""],
    ["", "いちご生産額", "2億396万円 → 4億3,0000万円"],
    ["", "新規雇用者数", "― → 50人"],
    ["(1)第一次産業の振興", "", ""],
    ["①", "新規就農者数", "1.4人/年 → 4組/年"],
    ["②", "給食での地場産物利用率", "33%/年 → 38%/年"],
    ["③", "商品開発数", "1.2件/年 → 2件/年"],
    ["(2)新たな観光産業の振興", "", ""],
    ["①", "地域DMOの設立", "0件 → 1件"],
    ["②", "着地型・体験型観光による入込者数", "41人/年 → 60人/年"],
]


def urakawa_arrows() -> tuple[str, bytes]:
    return "urakawa-kpi.csv", _csv(URAKAWA_ARROW_ROWS, "utf-16")


LAYOUTS = {
    "urakawa_r4": urakawa_r4,
    "chiba": chiba,
    "tsukuba": tsukuba,
    "mima": mima,
    "ino": ino,
    "ogaki": ogaki,
    "fuji": fuji,
    "nanto": nanto,
    "fukuoka": fukuoka,
    "sapporo": sapporo,
    "abira": abira,
    "urakawa_arrows": urakawa_arrows,
}
# fmt: on
