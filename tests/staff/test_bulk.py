"""Bulk entry: the template, the preview of changes and errors by row and column, one transaction."""

import csv
import io

import pytest
from openpyxl import load_workbook

from machiplan.interchange import entry_sheet
from machiplan.staff.models import AuditEvent, Entry

from .conftest import PLAN

BULK = f"/staff/plans/{PLAN}/bulk/"


def template(client, fmt="xlsx", fy=2017):
    response = client.get(f"{BULK}template/?fy={fy}&format={fmt}")
    assert response.status_code == 200
    assert f'filename="{PLAN}-chiiki-katsudo-FY{fy}.{fmt}"' in response["Content-Disposition"]
    return response.content


def upload(client, content: bytes, name="figures.xlsx"):
    response = client.post(BULK, {"file": _file(content, name)})
    assert response.status_code == 302, response.content
    return response["Location"]


def _file(content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def csv_line(**cells: str) -> str:
    """A template row of CSV with these cells (by key), the others blank."""
    return ",".join(cells.get(key, "") for key in entry_sheet.KEYS)


def fill_csv(line: str, **cells: str) -> str:
    """A template row of CSV with these cells (by key) changed."""
    values = next(csv.reader([line]))
    for key, value in cells.items():
        values[entry_sheet.KEYS.index(key)] = value
    return ",".join(values)


def fill_xlsx(content: bytes, values: dict[str, dict[str, str]]) -> bytes:
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        code = row[0].value
        for key, value in values.get(code, {}).items():
            row[header.index(entry_sheet.HEADER_OF[key])].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_template_is_the_departments_figures_as_they_stand(as_):
    book = load_workbook(io.BytesIO(template(as_("editor"))))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == (
        "指標コード", "指標名", "単位", "前年度の値", "系列", "年度", "期間", "種別", "値", "状態", "時点", "概数",
        "内訳", "回答数", "誤差", "デザイン効果", "備考", "出典", "確認理由", "版",
    )  # the figure's columns are domain/figures.py's, in its order  # fmt: skip
    assert [r[0] for r in rows[1:]] == ["1b", "3a", "3b", "3c"]
    by_code = {r[0]: dict(zip(entry_sheet.KEYS, r, strict=True)) for r in rows[1:]}
    assert [by_code["3c"][k] for k in ("previous", "fy", "period", "kind", "value")] == [
        "1178",
        "2017",
        "年度",
        "状況",
        "1210",
    ]
    assert [by_code["1b"][k] for k in ("previous", "fy", "kind")] == ["71.1", "2017", "今後調査"]


def test_a_good_upload_is_previewed_then_saved_in_one_go(as_):
    editor = as_("editor")
    filled = fill_xlsx(
        template(editor), {"1b": {"kind": "実績", "value": "70.9"}, "3b": {"kind": "実績", "value": "70"}}
    )
    preview_url = upload(editor, filled)
    page = editor.get(preview_url).content.decode()
    assert "変更（2）" in page and "70.9%" in page and "今後調査" in page
    assert not Entry.objects.exists()  # a preview saves nothing
    response = editor.post(preview_url, {"submit": "1"})
    assert response.status_code == 302
    assert sorted(Entry.objects.values_list("indicator__code", "status")) == [
        ("1b", "submitted"),
        ("3b", "submitted"),
    ]
    assert AuditEvent.objects.filter(via="bulk", action="save").count() == 2
    assert editor.post(preview_url).status_code == 302  # applying twice does nothing more
    assert Entry.objects.count() == 2 and AuditEvent.objects.filter(via="bulk", action="save").count() == 2


def test_an_upload_with_errors_lists_them_by_row_and_column_and_saves_nothing(as_):
    editor = as_("editor")
    filled = fill_xlsx(
        template(editor),
        {
            "1b": {"kind": "実績", "value": "70.9"},  # fine on its own
            "3a": {"kind": "実績", "value": "120"},  # % above 100
            "3b": {"kind": "実績", "value": "50"},  # running total falls
            "3c": {"kind": "状況", "value": "1300", "as_of": "2019-01-10"},  # outside FY2017
        },
    )
    preview_url = upload(editor, filled)
    page = editor.get(preview_url).content.decode()
    assert "誤りがあるため保存できません" in page and "保存する" not in page
    assert (
        '<td class="num">3</td><td>値</td><td>％の値は0〜100の範囲で入力してください（入力: 120）。</td>'
        in page
    )
    assert '<td class="num">4</td><td>値</td><td>累計の値 50' in page
    assert '<td class="num">5</td><td>時点</td>' in page
    response = editor.post(preview_url)  # applying anyway is refused as a whole
    assert response.status_code == 400
    assert not Entry.objects.exists() and not AuditEvent.objects.filter(via="bulk").exists()


def test_csv_uploads_and_row_level_mistakes(as_):
    editor = as_("editor")
    text = template(editor, "csv").decode("utf-8-sig").splitlines()
    text[1] = fill_csv(text[1], kind="実績", value="70.9")
    text.append(
        csv_line(indicator="1a", fy="2017", kind="実績", value="50", revision="0")
    )  # another department's
    text.append(
        csv_line(indicator="9z", fy="2017", kind="実績", value="1", revision="0")
    )  # no such indicator
    text.append(
        csv_line(indicator="3a", fy="R九", kind="実績", value="1", revision="0")
    )  # a year that cannot be read
    preview_url = upload(editor, ("\r\n".join(text) + "\r\n").encode("cp932"), name="figures.csv")
    page = editor.get(preview_url).content.decode()
    assert "指標 1a はほかの部署の担当です" in page
    assert "指標コード 9z はこの計画にありません" in page
    assert "年度「R九」を読めません" in page
    assert "同じ指標・年度" not in page
    assert not Entry.objects.exists()


def test_a_figure_changed_after_download_is_an_error_not_a_lost_update(as_):
    editor, owner = as_("editor"), as_("owner")
    downloaded = template(editor)
    owner.post(
        f"/staff/plans/{PLAN}/indicators/1b/2017/edit/", {"kind": "actual", "value": "71.0", "revision": "0"}
    )
    page = editor.get(
        upload(editor, fill_xlsx(downloaded, {"1b": {"kind": "実績", "value": "70.9"}}))
    ).content.decode()
    assert "様式のダウンロード後に owner さんがこの値を変更しました" in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"a,b\r\n1,2\r\n", "are missing"),
        (b"PK\x03\x04broken", "not an Excel workbook"),
    ],
)
def test_unreadable_files_say_why(as_, content, message):
    editor = as_("editor")
    assert message in editor.get(upload(editor, content, name="x.csv")).content.decode()


def test_viewers_cannot_upload(as_):
    assert as_("viewer").post(BULK, {"file": _file(b"x", "x.csv")}).status_code == 403


def test_another_persons_upload_cannot_be_seen_or_applied(as_):
    preview_url = upload(as_("editor"), template(as_("editor")))
    intruder = as_("other_editor")
    assert intruder.get(preview_url).status_code == 404
    assert intruder.post(preview_url).status_code == 404


def test_the_rules_every_way_in_keeps_are_listed_at_their_column(as_):
    """The form's and load's rules, with their messages, at the column they are about (#10)."""
    editor = as_("editor")
    filled = fill_xlsx(
        template(editor),
        {
            "1b": {"kind": "実績", "value": "70.1234567"},  # more decimals than are kept
            "3a": {"kind": "実績", "value": "70", "data_source": "出" * 301},  # longer than the column
            "3c": {"kind": "実績", "value": "1300", "fy": "2200"},  # a year outside the plan
        },
    )
    page = editor.get(upload(editor, filled)).content.decode()
    assert '<td class="num">2</td><td>値</td><td>70.1234567 はそのままでは保存できません' in page
    assert '<td class="num">3</td><td>出典</td><td>300文字以内で入力してください（301文字あります）。' in page
    assert '<td class="num">5</td><td>年度</td><td>令和182年度は計画期間の外です。' in page
    text = template(editor, "csv").decode("utf-8-sig").splitlines()
    row = next(n for n, line in enumerate(text) if line.startswith("3b,"))
    text[row] = csv_line(indicator="3b", fy="2017", kind="実績", value="70", note="a\x01b",
                         revision=text[row].rsplit(",", 1)[1])  # a CSV can hold it  # fmt: skip
    page = editor.get(upload(editor, ("\r\n".join(text) + "\r\n").encode(), name="figures.csv")).content
    assert "<td>備考</td><td>制御文字（改行・タブを除く）は使えません。" in page.decode()
    assert not Entry.objects.exists()


def preview_page(client, content: bytes, name: str) -> str:
    response = client.get(upload(client, content, name=name))
    assert response.status_code == 200
    return response.content.decode()


def test_a_formula_without_its_computed_value_is_named_not_taken_for_a_blank(as_):
    editor = as_("editor")
    page = preview_page(
        editor, fill_xlsx(template(editor), {"1b": {"kind": "実績", "value": "=70+0.9"}}), "f.xlsx"
    )
    assert "数式の計算結果がファイルに保存されていません" in page
    assert "値を入力" not in page


def test_an_excel_date_serial_is_named_with_its_date(as_):
    editor = as_("editor")
    filled = fill_xlsx(template(editor), {"3c": {"kind": "状況", "value": "1300", "as_of": 43008}})
    page = preview_page(editor, filled, "serial.xlsx")
    assert "時点「43008」は Excel の日付のシリアル値です（2017-09-30）" in page


@pytest.mark.parametrize(
    ("indicator", "typed", "number_format", "read", "stored"),
    [
        # Excel keeps a number typed as 0.00005 as a number: it was read as Python writes the float
        # ('5e-05'), which the number reader refuses, so a figure the form takes was 'not a number'
        ("1c", 0.00005, "General", "0.00005", "0.00005"),  # 1c: a count per year (flow)
        ("1c", 0.000001, "General", "0.000001", "0.000001"),
        ("1c", 123456789012.5, "General", "123456789012.5", "123456789012.5"),
        ("1c", 70.25, "General", "70.25", "70.25"),
        # 70.1% typed into Excel is kept as 0.701 with a percentage format: the upload read 0.701, a
        # value a hundred times too small for a % indicator (1b, 町内会加入率), while the table
        # import read the same cell as 70.1% (both now read it by interchange/shown.py)
        ("1b", 0.701, "0.0%", "70.1%", "70.1"),
        ("1b", 0.7, "0%", "70%", "70"),
        ("1b", 70.1, "General", "70.1", "70.1"),  # 70.1 typed into a cell of the template
        ("1b", 70, "0.0", "70.0", "70.0"),
    ],
)
def test_a_number_in_the_workbook_is_read_as_its_cell_shows_it(
    people, indicator, typed, number_format, read, stored
):
    from decimal import Decimal

    from openpyxl import Workbook

    from machiplan.staff.services import bulk

    book = Workbook()
    sheet = book.active
    sheet.append([entry_sheet.HEADER_OF[k] for k in ("indicator", "fy", "kind", "value", "reason")])
    sheet.append([indicator, 2017, "実績", typed, "確認済み"])
    sheet["D2"].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    assert [r.cells["value"] for r in entry_sheet.read_rows(buffer.getvalue(), name="n.xlsx")] == [read]
    upload = bulk.upload_store(
        user=people["owner"], plan_code=PLAN, filename="n.xlsx", content=buffer.getvalue()
    )
    (row,) = bulk.preview(user=people["owner"], upload=upload).rows
    assert not row.errors and row.new.value == Decimal(stored)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_breakdown_whose_labels_hold_digits_comes_back_unchanged(as_, people, fmt):
    """Labels such as 65歳以上 or 第1地区, which the API and a package take, were written into the
    template as '65歳以上700、第1地区510', which the reader cannot split: the template uploaded
    unchanged was refused at the breakdown (and the form opened on the figure could not be saved)."""
    from machiplan.staff.services import bulk
    from machiplan.staff.services.people import token_create

    parts = [["65歳以上", "700"], ["第1地区", "500"], ["A-1", "10"]]
    response = as_("editor").post(
        f"/api/plans/{PLAN}/indicators/3c/observations/2017/",
        {"kind": "actual", "value": 1210, "breakdown": parts, "revision": 0},
        content_type="application/json",
        headers={"Authorization": f"Token {token_create(username='editor')}"},
    )
    assert response.status_code == 200, response.content
    stored = bulk.upload_store(
        user=people["editor"], plan_code=PLAN, filename=f"t.{fmt}", content=template(as_("editor"), fmt)
    )
    result = bulk.preview(user=people["editor"], upload=stored)
    assert result.errors == [] and result.changes == []

    form = as_("editor").get(f"/staff/plans/{PLAN}/indicators/3c/2017/edit/").content.decode()
    shown = form.split('name="breakdown"')[1].split('value="')[1].split('"')[0]
    from html import unescape

    from machiplan.domain.quantities import parse_breakdown

    assert [[label, str(v)] for label, v in parse_breakdown(unescape(shown))] == parts


def test_a_column_given_twice_is_named_not_a_misleading_missing_value(as_):
    editor = as_("editor")
    lines = template(editor, "csv").decode("utf-8-sig").splitlines()
    lines = [lines[0] + ",値"] + [line + "," for line in lines[1:]]
    lines[1] = lines[1].replace(",今後調査,", ",実績,")
    page = preview_page(editor, "\r\n".join(lines).encode("utf-8"), "twice.csv")
    assert "the column 値 is there twice (columns I and U): keep one" in page


def test_cr_only_line_ends_and_a_file_cut_mid_character(as_):
    editor = as_("editor")
    text = template(editor, "csv").decode("utf-8-sig").splitlines()
    text[1] = fill_csv(text[1], kind="実績", value="70.9")
    page = preview_page(editor, "\r".join(text).encode("utf-8"), "mac.csv")
    assert "変更（1）" in page and "70.9%" in page
    cut = ("\r\n".join(text) + "\r\n注").encode("utf-8")[:-1]
    assert "the file ends in the middle of a character" in preview_page(editor, cut, "cut.csv")


def _broken_workbooks():
    from tests.interchange.test_entry_sheet import _chart_sheet_only, _corrupt_deflate, rezip, xlsx

    return {
        "missing-sheet-part": rezip(xlsx(), lambda n, c: None if n == "xl/worksheets/sheet1.xml" else c),
        "chart-sheet-only": _chart_sheet_only(),
        "corrupt-deflate": _corrupt_deflate(xlsx([["1b"] * len(entry_sheet.KEYS)] * 200)),
        "huge-csv-cell": b"\xef\xbb\xbf"
        + "指標コード,年度,種別,値,注記\r\n1b,2017,実績,1,".encode()
        + b"x" * 200_000,
    }


@pytest.mark.parametrize(
    "kind", ["missing-sheet-part", "chart-sheet-only", "corrupt-deflate", "huge-csv-cell"]
)
def test_a_broken_file_is_one_clear_error_not_a_server_error(as_, kind):
    editor = as_("editor")
    page = preview_page(editor, _broken_workbooks()[kind], "broken.xlsx")
    assert "broken.xlsx: " in page and "保存する" not in page
    assert not Entry.objects.exists()


def test_a_file_over_the_limit_is_refused_by_the_service_too(as_, people):
    from machiplan.domain.errors import MachiplanError
    from machiplan.staff.services import bulk

    big = template(as_("editor"), "csv") + b"\n" * (20 * 1024 * 1024)
    with pytest.raises(MachiplanError, match=r"too large: 2\d,\d{3},\d{3} bytes \(at most 5 MB\)"):
        bulk.upload_store(user=people["editor"], plan_code=PLAN, filename="big.csv", content=big)


def test_a_cell_of_several_lines_is_quoted_in_one_line(as_):
    editor = as_("editor")
    lines = template(editor, "csv").decode("utf-8-sig").splitlines()
    lines.append(csv_line(indicator='"9z\n9y"', fy='"R\n9"', kind="実績", value="1", revision="0"))
    page = preview_page(editor, "\r\n".join(lines).encode("utf-8"), "lines.csv")
    assert "指標コード 9z 9y はこの計画にありません。" in page
