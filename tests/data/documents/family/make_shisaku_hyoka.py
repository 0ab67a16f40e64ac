"""みなと市 第6次総合計画 施策評価 総括表 (synthetic): writes shisaku-hyoka-r4.xlsx.

.venv/bin/python tests/data/documents/family/make_shisaku_hyoka.py OUT.xlsx
"""

import sys

from openpyxl import Workbook

# fmt: off
HEADER_1 = ["基本目標", "施策", "具体的施策", "成果指標", "単位", "策定時", "実績", None, None, "目標値", "評価",
            "事業費（千円）", "担当課"]
HEADER_2 = [None, None, None, None, None, "（H30）", "令和２年度", "令和３年度", "令和４年度", "（R6）", None, None, None]
ROWS = [
    ["1 子どもが健やかに育つまち", "1-1 子育て支援", "1-1-1 保育の充実", "保育所待機児童数", "人", "１４", "3", "0", "0",
     "0", "A", "１２，３４０", "こども課"],
    [None, None, "1-1-2 相談体制の充実", "子育て相談件数", "件/年", "820", "－", "1,012", "1,105", "1,000件以上", "A",
     "3,200", "こども課"],
    [None, "1-2 学校教育", "1-2-1 学力の向上", "全国学力調査で平均以上の児童の割合", "％", "48.2", "―", "51.0", "調査中",
     "55.0", "B", "45,600", "学校教育課"],
    [None] * 13,
    ["2 安心して暮らせるまち", "2-1 防災", "2-1-1 自主防災の推進", "自主防災組織の組織率", "%", "78.5%", "80.1%", "81.0%",
     "R5.3.31現在 82.4%", "90%", "B", "8,210", "危機管理課"],
    [None, None, "2-1-2 交通安全", "交通事故件数（人身）", "件", "312", "254", "241", "△", "250件以下", "C", "1,520",
     "市民課"],
    [None, "2-2 健康", "2-2-1 健診の受診促進", "特定健診受診率", "%", "36.4", "30.2", "33.9", "集計中", "60%", "D",
     "22,480", "保険年金課"],
    ["合計", None, None, None, None, None, None, None, None, None, None, "93,350", None],
]
# fmt: on


def main(out: str) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "総括表"
    ws["A1"] = "みなと市第６次総合計画　令和４年度施策評価　総括表"
    ws["A2"] = "（単位：事業費は千円）"
    for row, cells in ((4, HEADER_1), (5, HEADER_2), *enumerate(ROWS, 6)):
        for col, value in enumerate(cells, 1):
            if value is not None:
                ws.cell(row, col, value)
    for col in "ABCDEKLM":
        ws.merge_cells(f"{col}4:{col}5")
    for cells in ("G4:I4", "A6:A8", "B6:B7", "A10:A12", "B10:B11"):
        ws.merge_cells(cells)
    ws["A15"] = "※評価　A：目標達成　B：概ね順調　C：やや遅れ　D：遅れ"
    ws["A16"] = "※「－」は新型コロナウイルス感染症の影響により事業中止のため実績なし。"
    book.save(out)


if __name__ == "__main__":
    main(sys.argv[1])
