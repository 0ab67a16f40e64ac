"""``machiplan``: the command line. Each command parses, calls one service, prints.

Errors a user can cause are one line on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from machiplan import __version__
from machiplan.domain.errors import MachiplanError
from machiplan.domain.fiscal import parse_fiscal_year

from .bootstrap import DEFAULT_PLAN_CODE, ready


def _fy(text: str) -> int:
    try:
        return parse_fiscal_year(text)
    except MachiplanError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


REPORT_FORMATS = ("html", "pdf", "xlsx", "md", "json", "csv")


def _formats(text: str) -> list[str]:
    chosen = [f.strip() for f in text.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in REPORT_FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown format(s) {', '.join(unknown) or text!r} (known: {', '.join(REPORT_FORMATS)})"
        )
    return chosen


_PLAN_HELP = "the plan's code (default: the embedded Sapporo plan)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="machiplan",
        description="Progress management for municipal plans (計画の進捗管理).",
        epilog="PLAN is a plan's code; without it, the embedded Sapporo plan. "
        "FY takes 2017, H29, 平成29年度, R1 or 令和元年度.",
    )
    parser.add_argument("--version", action="version", version=f"machiplan {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    report = sub.add_parser("report", help="evaluate a plan and write its whole report")
    report.add_argument("plan", nargs="?", default=DEFAULT_PLAN_CODE, metavar="PLAN", help=_PLAN_HELP)
    report.add_argument("--fy", type=_fy, help="the evaluation year (default: the plan's)")
    report.add_argument(
        "--out",
        type=Path,
        default=Path("machiplan-report"),
        help="output folder (default: ./machiplan-report)",
    )
    report.add_argument("--lang", choices=("ja", "en"), default="ja", help="report language (default: ja)")
    report.add_argument(
        "--format",
        dest="formats",
        type=_formats,
        help=f"comma-separated formats to write (default: all of {','.join(REPORT_FORMATS)})",
    )
    report.add_argument(
        "--charts",
        choices=("auto", "always", "never"),
        default="auto",
        help="draw a chart per indicator (auto: for plans of up to 1,000 indicators)",
    )

    evaluate = sub.add_parser("evaluate", help="print a plan's evaluation, or the plan JSON with --json")
    evaluate.add_argument("plan", nargs="?", default=DEFAULT_PLAN_CODE, metavar="PLAN", help=_PLAN_HELP)
    evaluate.add_argument("--fy", type=_fy, help="the evaluation year (default: the plan's)")
    evaluate.add_argument("--json", action="store_true", help="print the plan JSON contract")
    evaluate.add_argument(
        "--lang", choices=("ja", "en"), default="ja", help="the table's language (default: ja)"
    )

    load = sub.add_parser("load", help="load a plan package folder into the database")
    load.add_argument("directory", type=Path, metavar="DIR")
    load.add_argument("--replace", action="store_true", help="replace a plan with the same code")
    _warnings_lang(load)

    export = sub.add_parser("export", help="write a stored plan as a plan package folder")
    export.add_argument("plan", metavar="PLAN", help="the stored plan's code")
    export.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="the package folder to write (made if missing)"
    )

    sheet = sub.add_parser(
        "import-sheet",
        help="read a legacy progress sheet or a published document (text extracted from its PDF or web page, "
        "or a JSON dataset of indicators)",
    )
    sheet.add_argument("file", type=Path, metavar="FILE")
    sheet.add_argument("--json", action="store_true", help="print the plan JSON, with the reader's warnings")
    sheet.add_argument("--save", action="store_true", help="save it as a plan in the database")
    sheet.add_argument(
        "--replace", action="store_true", help="with --save: replace a plan with the same code"
    )
    sheet.add_argument("--code", help="the plan's code (default: from the file name)")
    sheet.add_argument("--municipality", help="the municipality's name, when the sheet does not give it")
    sheet.add_argument("--municipality-code", help="its six-digit 全国地方公共団体コード")
    sheet.add_argument("--start-fy", type=_fy, help="the plan's first fiscal year")
    sheet.add_argument("--end-fy", type=_fy, help="the plan's last fiscal year")
    _warnings_lang(sheet)

    table = sub.add_parser(
        "import-table",
        help="read a plan's progress table (XLSX or CSV): preview it, suggest a mapping, save it",
    )
    table.add_argument("file", type=Path, metavar="FILE")
    table.add_argument(
        "--sheet", help="the workbook's sheet to read (default: the mapping's, else the first)"
    )
    table.add_argument("--mapping", type=Path, metavar="M.yaml", help="read the table as this mapping says")
    table.add_argument(
        "--suggest-mapping",
        metavar="OUT.yaml",
        help="write the mapping machiplan proposes (or the one given, completed) to OUT.yaml ('-': stdout), to check and correct",
    )
    table.add_argument(
        "--plan",
        metavar="CODE",
        help="the stored plan this table updates (next year's sheet): read with its kept mapping",
    )
    table.add_argument(
        "--json", action="store_true", help="print the plan JSON, with warnings, guesses and the mapping"
    )
    table.add_argument("--save", action="store_true", help="save it (with its mapping) in one transaction")
    table.add_argument(
        "--replace", action="store_true", help="with --save: replace a plan with the same code"
    )
    table.add_argument("--code", help="the plan's code (default: the mapping's, else from the file name)")
    table.add_argument("--title", help="the plan's title (default: the line above the table)")
    table.add_argument("--municipality", help="the municipality's name, when the table does not give it")
    table.add_argument("--municipality-code", help="its six-digit 全国地方公共団体コード")
    _warnings_lang(table)
    table.add_argument("--start-fy", type=_fy, help="the plan's first fiscal year")
    table.add_argument("--end-fy", type=_fy, help="the plan's last fiscal year")

    serve = sub.add_parser("serve", help="run the web app (public pages, API, admin) with gunicorn")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000)")
    serve.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    serve.add_argument("--threads", type=int, help="threads per worker (default: 8)")

    sub.add_parser("plans", help="list the plans in the database")

    publish = sub.add_parser(
        "publish-report",
        help="make the year's report from the published figures and publish it as that year's next version",
    )
    publish.add_argument("plan", metavar="PLAN", help="the stored plan's code")
    publish.add_argument(
        "--year", dest="fy", type=_fy, required=True, metavar="FY", help="the fiscal year it evaluates"
    )

    adduser = sub.add_parser(
        "adduser",
        help="add a staff member, or change one's role and password (password: prompt or MACHIPLAN_PASSWORD)",
    )
    adduser.add_argument("name", metavar="NAME")
    adduser.add_argument(
        "--role",
        required=True,
        choices=("admin", "planner", "owner", "editor", "viewer"),
        help="admin and planner: the whole installation; owner, editor, viewer: a plan (--plan, else every plan)",
    )
    adduser.add_argument(
        "--plan", metavar="CODE", help="the plan the role is in (default: every plan loaded)"
    )
    adduser.add_argument("--department", metavar="D", help="the department's code (required for an editor)")

    token = sub.add_parser("token", help="print a new API token for a staff member")
    token.add_argument("name", metavar="NAME")

    backup = sub.add_parser(
        "backup",
        help="write the whole installation (plans, staff, tokens, entries, the audit trail, the reports' files) to FILE",
    )
    backup.add_argument("file", type=Path, metavar="FILE")
    restore = sub.add_parser("restore", help="restore a backup FILE into an empty database")
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument(
        "--replace",
        action="store_true",
        help="discard everything in the database and put the backup in its place",
    )
    return parser


def _one_line(text: str) -> str:
    """Errors and warnings are one line each, whatever a message quotes."""
    return " ".join(part.strip() for part in str(text).splitlines() if part.strip())


_LEFT_FOR_THE_END: list[object] = []
"""What a command made that the process frees only by ending (``left_for_the_end``)."""


def left_for_the_end(*structures: object) -> None:
    """``structures`` (a plan read, its evaluation: millions of objects at 100,000 indicators) kept
    until the command is over, then not freed one object at a time: the program run from the
    command line (``run``) ends without it, as mypy does (half a second of ``evaluate --json`` at
    100,000 indicators). ``main`` called in a process that goes on (the tests) lets them go at
    its next call."""
    _LEFT_FOR_THE_END.extend(structures)


def run() -> None:
    """The ``machiplan`` program: ``main``, then the process's end. Once its output is flushed and
    its database connections closed, a command that left large structures for the end
    (``left_for_the_end``) ends at once, without freeing them (``os._exit``)."""
    code = main()
    if _LEFT_FOR_THE_END:
        import logging
        import os

        from django.db import connections

        connections.close_all()
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    _LEFT_FOR_THE_END.clear()
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "replace", False) and getattr(args, "save", True) is False:  # import-sheet, import-table
        parser.error(f"{args.command}: --replace replaces a plan as this one is saved: use it with --save")
    try:
        ready(default_plan=args.command not in ("backup", "restore"))  # a restore wants the database empty
        return COMMANDS[args.command](args)
    except MachiplanError as exc:
        print(f"machiplan: error: {_one_line(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # stdout's reader stopped reading (``| head``): nothing to say to anyone
        _stdout_to_nowhere()
        return 1
    except Exception as exc:  # a database that cannot be reached, a disk that is full
        from django.db import DatabaseError

        if isinstance(exc, DatabaseError | OSError):
            print(
                f"machiplan: error: {type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc!r}",
                file=sys.stderr,
            )
            return 1
        raise


def _stdout_to_nowhere() -> None:
    """What is left in stdout's buffer dropped, and stdout pointed at /dev/null: flushing it to the
    closed pipe as the process ends would fail again ("Exception ignored … BrokenPipeError")."""
    import os

    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a file (a test's StringIO)
        return
    os.dup2(os.open(os.devnull, os.O_WRONLY), descriptor)


def _report(args: argparse.Namespace) -> int:
    from machiplan.reports.services import report_write

    from .progress import Progress
    from .summary import print_summary

    charts = {"auto": None, "always": True, "never": False}[args.charts]
    with Progress("report", ["read", *(args.formats or REPORT_FORMATS)]) as progress:
        report, files = report_write(
            code=args.plan,
            out=args.out,
            evaluation_fy=args.fy,
            lang=args.lang,
            formats=args.formats,
            charts=charts,
            progress=progress.step,
        )
    left_for_the_end(report)
    print_summary(report.plan, report.evaluation, lang=args.lang)
    folder = args.out.resolve()
    print()
    print(f"{'報告書を書き出しました' if args.lang == 'ja' else 'Report written to'}: {folder}/")
    for path in files:
        print(f"  {path.resolve().relative_to(folder)}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    """The plan read, judged and printed with the cyclic collector paused throughout, not in each
    step only: at the end of each step's pause the collector's youngest generation held everything
    the step had made, and the next allocation walked it all (the whole plan, at 100,000 indicators
    a second of ``evaluate --json``). Over by the time the block ends: the plan is freed with the
    function's frame."""
    from machiplan.domain.collection import cycle_collection_paused

    with cycle_collection_paused():
        return _evaluate_paused(args)


def _evaluate_paused(args: argparse.Namespace) -> int:
    from machiplan.interchange.plan_json import write_plan_json
    from machiplan.plans.services import plan_evaluate

    from .progress import Progress
    from .summary import print_summary

    with Progress("evaluate", ["read and evaluate", "write"]) as progress:
        progress.step("read and evaluate")
        plan, evaluation = plan_evaluate(code=args.plan, evaluation_fy=args.fy)
        left_for_the_end(plan, evaluation)
        if args.json:
            progress.step("write")
            each = lambda items, total: progress.each(items, total=total, what="indicators")  # noqa: E731
            write_plan_json(plan, evaluation, sys.stdout, each=each, apart=True)
            return 0
    print_summary(plan, evaluation, lang=args.lang)
    return 0


# Warnings printed one per line before the rest are counted: a plan of 100,000 indicators
# may have thousands, and a terminal of them helps nobody.
WARNINGS_SHOWN = 50


def _warnings_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang", choices=("ja", "en"), default="en", help="the warnings' language (default: en)"
    )


def _warn(warnings: Sequence[object], prefix: str = "") -> None:
    """What the checks only warn about, on stderr: ``machiplan: warning: observations.csv:12: …``."""
    for warning in warnings[:WARNINGS_SHOWN]:
        print(f"machiplan: warning: {prefix}{warning}", file=sys.stderr)
    if len(warnings) > WARNINGS_SHOWN:
        print(f"machiplan: warning: … and {len(warnings) - WARNINGS_SHOWN} more", file=sys.stderr)


def _load(args: argparse.Namespace) -> int:
    """The package read, then checked in a second process while this one stores it (a second core
    does the check, a quarter of the work at 100,000 indicators); the store is committed only once the
    check has passed, and a check that fails is the error, as if it had come first."""
    from machiplan.domain.apart import begun_apart
    from machiplan.interchange.files import display_path
    from machiplan.interchange.package import read_package_result
    from machiplan.plans.services import plan_load

    from .progress import Progress

    with Progress("load", ["read", "check and store"]) as progress:
        progress.step("read")
        result = read_package_result(args.directory, check=False)
        plan = result.plan
        left_for_the_end(plan)
        progress.step("check and store")
        observations = sum(len(i.observations) for i in plan.indicators)
        targets = sum(len(i.targets) for i in plan.indicators)
        apart = observations + targets >= CHECK_APART_FROM
        checked = begun_apart(partial(_checked, plan), "checking the plan", apart=apart)
        plan_load(
            plan=plan, replace=args.replace, source=display_path(args.directory.resolve()), checked=checked
        )
    warnings = [*result.warnings, *checked()]
    _warn([w.said(args.lang) for w in warnings])  # after the load: a refused load is its one line of error
    print(
        f"loaded {plan.code}: {plan.title} ({plan.municipality.name}) — "
        f"{shape(plan)}, {counted(len(plan.indicators), 'indicator')}, {counted(observations, 'observation')}, "
        f"{counted(targets, 'target')}" + (f", {counted(len(warnings), 'warning')}" if warnings else "")
    )
    return 0


CHECK_APART_FROM = 10_000
"""Figures (observations and targets) from which ``load`` checks the plan in a second process: below,
the process costs more than the check it takes over (about 5 µs a figure)."""


def _checked(plan) -> tuple:
    """``check_plan``, with the cyclic collector paused as the package's reading pauses it."""
    from machiplan.domain.collection import cycle_collection_paused
    from machiplan.domain.validation import check_plan

    with cycle_collection_paused():
        return check_plan(plan)


def counted(number: int, thing: str) -> str:
    """'1 indicator', '15 indicators'."""
    return f"{number} {thing}" if number == 1 else f"{number} {thing}s"


def shape(plan) -> str:
    """'4 goals' for a plan of goals and policies; else its nodes per level: '基本目標 2, 基本施策 5'
    (nodes deeper than its named levels: '3 more below'); without named levels, '2 top nodes, 9 in all'."""
    from machiplan.domain.plan import GOALS_AND_POLICIES

    if plan.levels == GOALS_AND_POLICIES:
        return counted(len(plan.top_nodes), "goal")
    if not plan.levels:
        return f"{counted(len(plan.top_nodes), 'top node')}, {len(plan.nodes)} in all"
    counts = [0] * len(plan.levels)
    deeper = 0
    for node in plan.nodes:
        depth = plan.depth(node.code)
        if depth < len(counts):
            counts[depth] += 1
        else:
            deeper += 1
    named = ", ".join(f"{level.name} {n}" for level, n in zip(plan.levels, counts, strict=True))
    return f"{named}, {deeper} more below" if deeper else named


def _export(args: argparse.Namespace) -> int:
    from machiplan.plans.services import plan_export

    folder = plan_export(code=args.plan, out=args.out)
    print(f"exported {args.plan} to {folder.resolve()}/")
    return 0


def _sheet_document(plan, result, name: str, warnings: list) -> str:
    from machiplan.domain.evaluation import evaluate_plan
    from machiplan.interchange.plan_json import plan_json

    # Everything that can fail is done before anything is written: the plan evaluated and its
    # JSON built (every figure and year formatted, as a report formats them), so a plan is
    # never saved that its own --json, or a report, cannot show.
    document = plan_json(plan, evaluate_plan(plan))
    document["source"] = {"file": name, "encoding": result.encoding}
    document["warnings"] = [
        {"line": line, "message": message, "message_ja": message_ja} for line, message, message_ja in warnings
    ]
    document["guesses"] = [
        {
            "indicator": code,
            "field": g.field,
            "value": g.value,
            "reason_ja": g.reason_ja,
            "reason_en": g.reason_en,
        }
        for code, g in result.guesses
    ]
    document["layout"] = {
        "reader": result.layout,
        "scores": [{"reader": n, "facts": s} for n, s in result.scores],
    }
    document["structure"] = [g.as_dict() for g in result.structure]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _import_sheet(args: argparse.Namespace) -> int:
    from machiplan.domain.validation import check_plan
    from machiplan.interchange.files import display_name, display_path
    from machiplan.plans.services import plan_load
    from machiplan.sheets import SheetOptions, read_document_file

    from .progress import Progress

    if args.start_fy is not None and args.end_fy is not None and args.start_fy > args.end_fy:
        raise MachiplanError(f"--start-fy (FY{args.start_fy}) is after --end-fy (FY{args.end_fy})")
    options = SheetOptions(
        code=args.code,
        municipality_name=args.municipality,
        municipality_code=args.municipality_code,
        start_fy=args.start_fy,
        end_fy=args.end_fy,
    )
    with Progress("import-sheet", ["read", "check", "evaluate", "store"]) as progress:
        progress.step("read")
        result = read_document_file(args.file, options=options)
        name = display_name(args.file)
        plan = result.plan
        progress.step("check")
        checked = check_plan(plan)  # the rules every way in keeps; its warnings name 'sheet.txt:55'
        warnings = [(w.line, w.message, w.message_ja) for w in (*result.warnings, *checked)]
        output = None
        if args.save or args.json:
            progress.step("evaluate")
            output = _sheet_document(plan, result, name, warnings)
        _warn(
            [
                *(f"{name}: {_one_line(w.said(args.lang))}" for w in result.warnings),
                *(_one_line(w.said(args.lang)) for w in checked),
            ]
        )
        if args.save:
            progress.step("store")
            plan_load(plan=plan, replace=args.replace, source=display_path(args.file.resolve()))
    if args.json:
        sys.stdout.write(output or "")
        return 0
    observations = sum(len(i.observations) for i in plan.indicators)
    targets = sum(len(i.targets) for i in plan.indicators)
    print(
        f"read {name} ({result.encoding}): {plan.title} — {shape(plan)}, "
        f"{counted(len(plan.indicators), 'indicator')}, {counted(observations, 'observation')}, "
        f"{counted(targets, 'target')}, {counted(len(warnings), 'warning')}"
    )
    for guess in result.structure:  # how the document was read: its layout, its headings, its columns
        where = f"line {guess.line}: " if guess.line else ""
        print(f"  {guess.what}: {where}{_one_line(guess.value)[:80]} ({guess.reason_en})")
    if result.guesses:  # what the names suggested: correct them in the package or the staff app
        print("guessed from the indicators' names (check them):")
        by_code: dict[str, list[str]] = {}
        for code, guess in result.guesses:
            by_code.setdefault(code, []).append(f"{guess.field} {guess.value} ({guess.reason_en})")
        for code, said in by_code.items():
            print(f"  {code}: " + "; ".join(said))
    if args.save:
        print(f"saved as plan {plan.code}")
    return 0


# Mapping guesses printed before the rest are counted (a table of 5,000 rows names many nodes).
GUESSES_SHOWN = 60


def _import_table(args: argparse.Namespace) -> int:
    from machiplan.interchange.entry_sheet import MAX_FILE_BYTES
    from machiplan.interchange.files import display_name, display_path, read_user_file
    from machiplan.plans.services.table_import import mapping_comments, table_preview, table_save
    from machiplan.tables import PlanFacts, mapping_yaml, read_mapping

    from .progress import Progress

    if args.start_fy is not None and args.end_fy is not None and args.start_fy > args.end_fy:
        raise MachiplanError(f"--start-fy (FY{args.start_fy}) is after --end-fy (FY{args.end_fy})")
    if args.suggest_mapping and args.save:
        raise MachiplanError(
            "--suggest-mapping writes a mapping to check: leave out --save, save with --mapping"
        )
    if args.plan and (args.replace or args.code):
        raise MachiplanError("--plan updates that plan: leave out --code and --replace")
    out = None
    if args.suggest_mapping and args.suggest_mapping != "-":
        out = Path(args.suggest_mapping)
        if out.exists() or out.is_symlink():
            raise MachiplanError(
                "already exists: choose another name, or remove it first", where=display_path(out)
            )
    mapping = read_mapping(args.mapping) if args.mapping else None
    name = display_name(args.file)
    facts = PlanFacts(
        code=args.code,
        title=args.title,
        municipality=args.municipality,
        municipality_code=args.municipality_code,
        start_fy=args.start_fy,
        end_fy=args.end_fy,
    )
    with Progress("import-table", ["read, check and evaluate", "store"]) as progress:
        progress.step("read, check and evaluate")
        preview = table_preview(
            data=read_user_file(args.file, MAX_FILE_BYTES),  # the bulk upload's limit
            name=name,
            mapping=mapping,
            facts=facts,
            sheet=args.sheet,
            plan_code=args.plan,
            suggesting=bool(args.suggest_mapping),  # what only a mapping can say is said, not refused
        )
        result, plan = preview.result, preview.plan
        if args.suggest_mapping:
            text = mapping_yaml(preview.mapping, mapping_comments(preview))
            if out is None:
                sys.stdout.write(text)
            else:
                with out.open("x", encoding="utf-8") as handle:  # never over a file made in between
                    handle.write(text)
        _warn([_one_line(w.said(args.lang)) for w in (*preview.warnings, *preview.checked)])
        if args.save:
            progress.step("store")
            table_save(preview, replace=args.replace, source=display_path(args.file.resolve()))
    if args.json:
        sys.stdout.write(json.dumps(preview.document, ensure_ascii=False, indent=2) + "\n")
        return 0
    report = sys.stderr if args.suggest_mapping == "-" else sys.stdout
    layout = result.layout.mapping
    observations = sum(len(i.observations) for i in plan.indicators)
    targets = sum(len(i.targets) for i in plan.indicators)
    baselines = sum(len(i.baselines) for i in plan.indicators)
    where = f"{name}!{layout.sheet}" if layout.sheet else name
    read_with = {
        "given": f"with {args.mapping.name if args.mapping else 'the mapping'}",
        "kept": f"with plan {args.plan}'s mapping",
        "detected": "as detected",
    }[preview.mapping_from]
    print(
        f"read {where} ({result.encoding or 'xlsx'}, {layout.layout}, header rows {layout.header_rows[0]}–{layout.header_rows[1]}, "
        f"{read_with}): {plan.title} — {shape(plan)}, {counted(len(plan.indicators), 'indicator')}, "
        f"{counted(observations, 'observation')}, {counted(targets, 'target')}, {counted(baselines, 'baseline')}, "
        f"{counted(len(preview.all_warnings), 'warning')}",
        file=report,
    )
    if preview.changes is not None:
        print(f"updates plan {preview.updates}: {preview.changes.describe()}", file=report)
    if result.mapping_guesses:
        print(
            "how the table was read (check it; correct it with --suggest-mapping M.yaml, then --mapping M.yaml):",
            file=report,
        )
        for guess in result.mapping_guesses[:GUESSES_SHOWN]:
            header = f" {guess.header}" if guess.header else ""
            print(f"  {guess.where}{header}: {guess.value} — {guess.reason_en}", file=report)
        if len(result.mapping_guesses) > GUESSES_SHOWN:
            print(
                f"  … and {len(result.mapping_guesses) - GUESSES_SHOWN} more (all in --json and --suggest-mapping)",
                file=report,
            )
    if result.guesses:
        print(
            "guessed from the indicators' names (check them; correct them in the mapping's indicators):",
            file=report,
        )
        by_code: dict[str, list[str]] = {}
        for code, guess in result.guesses:
            by_code.setdefault(code, []).append(f"{guess.field} {guess.value} ({guess.reason_en})")
        for shown, (code, said) in enumerate(by_code.items()):
            if shown == GUESSES_SHOWN:
                print(
                    f"  … and {len(by_code) - GUESSES_SHOWN} more indicators (all in --json and --suggest-mapping)",
                    file=report,
                )
                break
            print(f"  {code}: " + "; ".join(said), file=report)
    if args.suggest_mapping and out is not None:
        print(
            f"mapping written to {display_path(out)}: check it, then import-table {name} --mapping {display_name(out)} --save",
            file=report,
        )
    if args.save:
        print(
            f"saved as plan {plan.code} (with its mapping: next year, import-table FILE --plan {plan.code} --save)",
            file=report,
        )
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    serve(args.host, args.port, args.workers, args.threads)
    return 0


def _plans(args: argparse.Namespace) -> int:
    from machiplan.plans.selectors import plan_list

    from .terminal import table

    rows = [[p.code, p.municipality_name, p.title, f"FY{p.start_fy}–{p.end_fy}"] for p in plan_list()]
    print(table(["code", "municipality", "title", "period"], rows))
    return 0


def _publish_report(args: argparse.Namespace) -> int:
    """The staff app's 報告書の作成・公開 in one step, as the installation's operator: generate (here, in
    this process), then publish as the year's next version; both in the trail."""
    from django.utils import timezone

    from machiplan.domain.labels import fy_label
    from machiplan.reports import jobs
    from machiplan.reports.models import DONE
    from machiplan.reports.publication import version_folder
    from machiplan.staff.services.reports import report_generate, report_publish

    actor = "machiplan publish-report"
    run = report_generate(plan_code=args.plan, fy=args.fy, actor=actor, via="cli", background=False)
    run = jobs.execute(run.pk)
    if run.state != DONE:
        raise MachiplanError(f"the report was not made: {run.error}")
    published = report_publish(plan_code=args.plan, run_id=run.pk, actor=actor, via="cli")
    folder = version_folder(published.plan_code, published.fy, published.version)
    print(
        f"published {published.plan_code} {fy_label(published.fy, 'en')} version {published.version} "
        f"({timezone.localdate(published.published_at).isoformat()}): {folder}/"
    )
    for f in published.files:
        print(f"  {f['name']} ({f['size']:,} bytes)")
    return 0


def _adduser(args: argparse.Namespace) -> int:
    import getpass
    import os

    from machiplan.staff.services.people import user_add

    password = os.environ.get("MACHIPLAN_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise MachiplanError("no password: set MACHIPLAN_PASSWORD or run in a terminal to be asked")
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise MachiplanError("the two passwords differ")
    user_add(
        username=args.name, role=args.role, password=password, department=args.department, plan=args.plan
    )
    where = f" in {args.department}" if args.department else ""
    if args.role in ("owner", "editor", "viewer"):
        where += f" of {args.plan}" if args.plan else " of every plan"
    print(f"{args.name}: {args.role}{where}")
    return 0


def _token(args: argparse.Namespace) -> int:
    from machiplan.staff.services.people import token_create

    print(token_create(username=args.name))
    return 0


def _backup(args: argparse.Namespace) -> int:
    from machiplan.ops.backup import backup_write

    summary = backup_write(args.file)
    print(f"backup written to {args.file.resolve()} (readable by you only): {summary.describe()}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from machiplan.ops.backup import backup_restore

    summary = backup_restore(args.file, replace=args.replace)
    migrated = "; migrated forward to this version" if summary.migrated else ""
    print(
        f"restored {args.file.name} (made {summary.created_at} by machiplan {summary.version} on {summary.database}"
        f"{migrated}): {summary.describe()}"
    )
    return 0


COMMANDS = {
    "report": _report,
    "evaluate": _evaluate,
    "load": _load,
    "export": _export,
    "import-sheet": _import_sheet,
    "import-table": _import_table,
    "serve": _serve,
    "plans": _plans,
    "publish-report": _publish_report,
    "adduser": _adduser,
    "token": _token,
    "backup": _backup,
    "restore": _restore,
}

if __name__ == "__main__":  # pragma: no cover
    run()
