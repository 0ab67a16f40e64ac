"""The staff side under a department's whole year: a bulk template of every indicator it owns,
previewed and applied, then approved at once; and one figure's save → submit → approve.

    .venv/bin/python bench/staff.py                   # a 10,000-indicator plan: 1,000 rows per department
    .venv/bin/python bench/staff.py --indicators 150  # quick

Method. The plan is made by bench/generate.py and loaded with ``machiplan load``
into a scratch data folder (SQLite); the rest runs in this process through the
staff services, as the views call them. Each template row gets a new value
(with a confirming reason, so no row is refused). Figures are wall time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MACHIPLAN = Path(sys.executable).parent / "machiplan"


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=10_000)
    args = parser.parse_args(argv)
    from bench.generate import generate

    with tempfile.TemporaryDirectory(prefix="machiplan-staff-") as tmp:
        package = generate(Path(tmp) / "plan", indicators=args.indicators)
        os.environ["MACHIPLAN_DATA_DIR"] = str(Path(tmp) / "data")
        os.environ.pop("MACHIPLAN_DATABASE_URL", None)
        env = {**os.environ}
        subprocess.run([str(MACHIPLAN), "load", str(package)], env=env, check=True, capture_output=True)
        print(run(f"generated-{args.indicators}"))
    return 0


def run(code: str) -> dict[str, float]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "machiplan.settings")
    os.environ["MACHIPLAN_ALLOWED_HOSTS"] = "testserver"  # the pages are fetched with Django's test client
    import django

    django.setup()
    from machiplan.interchange import entry_sheet
    from machiplan.plans.models import Observation, Plan
    from machiplan.staff.models import Entry
    from machiplan.staff.services import bulk, entries
    from machiplan.staff.services.people import user_add

    editor = user_add(username="editor", role="editor", password="bench-password-123", department="dept-1")
    owner = user_add(username="owner", role="owner", password="bench-password-123")
    plan = Plan.objects.get(code=code)
    fy = plan.end_fy + 1
    rows = bulk.template_rows(user=editor, plan_code=code, fy=fy)
    latest = {}
    for ind_code, value in (
        Observation.objects.filter(indicator__plan=plan, value__isnull=False, fy__lt=fy)
        .order_by("fy")
        .values_list("indicator__code", "value")
    ):
        latest[ind_code] = value
    col = {key: n for n, key in enumerate(entry_sheet.KEYS)}
    for row in rows:  # a new figure a little above the last, confirmed with a reason
        last = latest.get(row[col["indicator"]], 1) * Decimal("1.001")
        row[col["kind"]], row[col["reason"]] = "実績", "bench"
        row[col["value"]] = format(min(last, 100 if row[col["unit"]] == "%" else 10**15), "f")
    content = entry_sheet.write_xlsx(rows)
    upload = bulk.upload_store(user=editor, plan_code=code, filename="bench.xlsx", content=content)
    preview_s, preview = timed(lambda: bulk.preview(user=editor, upload=upload))
    assert not preview.errors, preview.errors[:3]
    apply_s, count = timed(lambda: bulk.apply(user=editor, upload=upload, submit=True))

    def approve_all() -> int:  # the review queue's "approve every figure listed"
        queue = Entry.objects.filter(indicator__plan=plan, status="submitted").select_related("indicator")
        items = [(e.indicator.code, e.series, e.fy, e.revision) for e in queue]
        return entries.entries_approve(user=owner, plan_code=code, items=items)

    from django.test import Client

    browser = Client()
    browser.force_login(owner)
    review_s, page = timed(lambda: browser.get(f"/staff/plans/{code}/review/"))
    assert page.status_code == 200
    plan_page_s, page = timed(lambda: browser.get(f"/staff/plans/{code}/"))
    assert page.status_code == 200
    approve_s, _ = timed(approve_all)
    one = []
    target = rows[0][0]
    for n in range(20):
        revision = Entry.objects.get(indicator__plan=plan, indicator__code=target, fy=fy).revision
        figure = entries.Figure(kind="actual", value=Decimal(rows[0][col["value"]]) + n % 2)
        start = time.perf_counter()
        e = entries.entry_save(user=editor, plan_code=code, indicator_code=target, fy=fy, figure=figure,
                               revision=revision, reason="bench")  # fmt: skip
        e = entries.entry_submit(
            user=editor, plan_code=code, indicator_code=target, fy=fy, revision=e.revision
        )
        entries.entry_approve(user=owner, plan_code=code, indicator_code=target, fy=fy, revision=e.revision)
        one.append(time.perf_counter() - start)
    return {
        "rows": len(rows), "changes": count, "preview_s": round(preview_s, 2), "apply_and_submit_s": round(apply_s, 2),
        "approve_all_s": round(approve_s, 2),
        "review_page_s": round(review_s, 2), "plan_page_s": round(plan_page_s, 2), "save_submit_approve_ms_median": round(statistics.median(one) * 1000, 1),
    }  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
