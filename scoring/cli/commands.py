"""The ``score`` commands but ``parse`` (cli/expressions.py): each takes the parsed arguments and
returns the exit code; what a command reads may be standard input (``-``), what it writes is written
whole, its progress goes to stderr."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from scoring import readers, writers
from scoring.api import score
from scoring.chunks import Written, streams, write_chunks
from scoring.cli import signals
from scoring.cli.streams import STDIN, NAME, Progress, renamed, stdin_files
from scoring.errors import Unstreamable
from scoring.readers.declarations import import_files
from scoring.rulesets import DEFAULT, available, load_ruleset
from scoring.template import template as template_of
from scoring.writers.files import check_output, write_stdout, write_text
from scoring.writers.lifecycle import emit, findings_tables, findings_text, monitoring_tables, monitoring_text


def run(args: argparse.Namespace) -> int:
    _check_output(args.output, args.targets, args.actuals, args.ruleset)
    progress = Progress(("读取并评分", "输出"), args.quiet)
    form = args.format or writers.format_for(args.output)
    with stdin_files([args.targets, args.actuals], ".csv") as (targets, actuals):
        progress.stage(0)
        report = _in_chunks(args, targets, actuals, form, progress)
        if report is None:
            report = score(targets, actuals, ruleset=args.ruleset, period=args.period)
    if not isinstance(report, Written):
        progress.stage(1, f"{len(report):,} 个指标")
        if args.output or args.encoding == "utf-8":
            writers.write(report, form, args.output or sys.stdout, spreadsheet_safe=args.csv_safe,
                          encoding=args.encoding)
        else:
            text = io.StringIO()
            writers.write(report, form, text, spreadsheet_safe=args.csv_safe)
            write_stdout(text.getvalue(), args.encoding)
    signals.ignore()                      # the output is whole: an interruption now would misreport it
    progress.done()
    if not report.has_issues:
        return 0
    _say_issues(report, NAME if args.targets == STDIN else args.targets)
    return 1


_SHOWN_ISSUES = 5


def _in_chunks(args: argparse.Namespace, targets: str, actuals: str | None, form: str, progress: Progress
               ) -> Written | None:
    """A flat file scored a chunk at a time into a row output file (scoring/chunks.py), or None when
    it is to be read whole: not such a pair, ``--chunk-rows 0``, or a file that cannot be read so
    (said on stderr)."""
    if not args.chunk_rows or actuals is not None or not streams(targets, form, args.output):
        return None
    try:
        return write_chunks(Path(targets), form, Path(args.output), ruleset=args.ruleset, period=args.period,
                            rows=args.chunk_rows, spreadsheet_safe=args.csv_safe, encoding=args.encoding,
                            issues_kept=_SHOWN_ISSUES, progress=lambda done: progress.stage(0, f"{done:,} 个指标"))
    except Unstreamable as why:
        print(f"score: {NAME if args.targets == STDIN else args.targets}：{why}", file=sys.stderr)
        return None


def _say_issues(report, file: str) -> None:
    """The issues of a report, counted by code, and the first few with their place, on stderr."""
    counts = report.issue_counts()
    print(f"score: {file}：有 {sum(counts.values()):,} 个问题（" + "，".join(f"{code} {n:,}" for code, n in counts.items()) +
          "），得分已写出；问题也在输出的 issues 中 / scored with issues", file=sys.stderr)
    for row in report.issue_rows(_SHOWN_ISSUES).itertuples():
        project = row.project_name if isinstance(row.project_name, str) else row.project_id
        place = " / ".join(p for p in (project, row.level1, row.level2, row.name) if isinstance(p, str) and p)
        print(f"  {place}：[{row.code}] {row.message.splitlines()[0]}", file=sys.stderr)
    if sum(counts.values()) > _SHOWN_ISSUES:
        print(f"  …… 另有 {sum(counts.values()) - _SHOWN_ISSUES:,} 个", file=sys.stderr)


def check(args: argparse.Namespace) -> int:
    from scoring.check import filled, findings as findings_of, ranked as ranked_by

    _check_output(args.output, args.workbook, args.ruleset)
    progress = Progress(("读取", "核对", "输出"), args.quiet)
    with stdin_files([args.workbook], ".xlsx") as (workbook,):
        progress.stage(0)
        data, printed = filled(Path(workbook))
    progress.stage(1)
    findings = findings_of(data, printed, args.ruleset)
    ranked, unexplained = ranked_by(data)
    progress.stage(2)
    fits = [f.as_dict() for f in ranked]
    unexplained_rows = [{"project": p, "indicator": i} for p, i in unexplained]
    form = args.format or writers.format_for(args.output)
    if form == "xlsx":
        from scoring.writers.xlsx import write_findings

        write_findings([f.as_dict() for f in findings], Path(args.output), fits, unexplained_rows)
    elif form == "json":
        _emit(json.dumps({"findings": [f.as_dict() for f in findings], "rulesets": fits,
                          "unexplained": unexplained_rows}, ensure_ascii=False, indent=2) + "\n", args.output)
    else:
        lines = [f"[{f.code}] {f.project}" + (f" / {f.indicator}" if f.indicator else "") + f"：{f.message}"
                 for f in findings] or ["未发现与规则不符之处。"]
        if ranked and ranked[0].rows:
            lines.append("各规则集与表中得分相符的行：" + "；".join(f"{f.ruleset} {f.agreeing}/{f.rows}" for f in ranked))
            lines += [f"没有规则集能解释的得分（评价人自定）：{p} / {i}" for p, i in unexplained]
        _emit("\n".join(lines) + "\n", args.output)
    progress.done()
    return 1 if findings else 0


def import_(args: argparse.Namespace) -> int:
    _check_output(args.output, *args.files)
    _check_output(args.report, *args.files)
    progress = Progress(("读取申报表", "输出"), args.quiet)
    with stdin_files(args.files, ".txt") as files:
        progress.stage(0)
        data, repairs = import_files([Path(f) for f in files])
        for given, file in zip(args.files, files):
            if given == STDIN:
                data, repairs = renamed(data, file), renamed(repairs, file)
    progress.stage(1)
    _emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n", args.output)
    if args.report:
        report = {"repairs": [r.as_dict() for r in repairs]}
        write_text(Path(args.report), json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    progress.done()
    count = sum(len(p["indicators"]) for p in data["projects"])
    kinds = Counter(r.code for r in repairs)
    summary = "，".join(f"{code} {n}" for code, n in sorted(kinds.items())) or "无"
    print(f"score import: {len(data['projects'])} 个项目，{count} 个指标；修复与存疑 {len(repairs)} 处（{summary}）",
          file=sys.stderr)
    for repair in repairs:
        print(f"  {repair.file}:{repair.line} [{repair.code}] {repair.project}：{repair.message}", file=sys.stderr)
    return 0


def template(args: argparse.Namespace) -> int:
    _check_output(args.output, args.targets)
    progress = Progress(("读取", "输出"), args.quiet)
    with stdin_files([args.targets], ".json") as (targets,):
        progress.stage(0)
        skeleton = template_of(readers.read(targets))
    progress.stage(1)
    _emit(json.dumps(skeleton, ensure_ascii=False, indent=2) + "\n", args.output)
    progress.done()
    return 0


def review(args: argparse.Namespace) -> int:
    from scoring.review import review as review_of

    _check_output(args.output, *args.files, args.ruleset)
    progress = Progress(("读取并审核", "输出"), args.quiet)
    findings = []
    with stdin_files(args.files, ".txt") as files:
        for index, file in enumerate(files):
            progress.stage(0, f"{index + 1}/{len(files)}")
            source = import_files([Path(file)])[0] if file.lower().endswith(".txt") else file
            inputs = readers.read(source)
            findings += review_of(inputs.projects, inputs.indicators,
                                  load_ruleset(args.ruleset or inputs.ruleset or DEFAULT))
    progress.stage(1, f"{len(findings):,} 个问题")
    emit(findings, args.format or writers.format_for(args.output), args.output, findings_text, findings_tables,
         ("table", "json", "xlsx"))
    progress.done()
    return 1 if findings else 0


def monitor(args: argparse.Namespace) -> int:
    from scoring.monitor import monitor as monitor_of

    _check_output(args.output, args.targets, args.progress, args.ruleset)
    progress = Progress(("读取", "监控", "输出"), args.quiet)
    with stdin_files([args.targets, args.progress], ".csv") as (targets, reported):
        progress.stage(0)
        inputs = readers.read(targets, reported)
    progress.stage(1, f"{len(inputs.indicators):,} 个指标")
    ruleset = load_ruleset(args.ruleset or inputs.ruleset or DEFAULT)
    watched = monitor_of(inputs.projects, inputs.indicators, ruleset, args.as_of or date.today())
    progress.stage(2)
    emit(watched, args.format or writers.format_for(args.output), args.output,
         lambda w, form: monitoring_text(w, ruleset.name, form), monitoring_tables, ("table", "json", "csv", "xlsx"),
         args.encoding)
    progress.done()
    return 1 if watched.any_red else 0


def rulesets(args: argparse.Namespace) -> int:
    for name in available():
        print(f"{name}\t{load_ruleset(name).title}")
    return 0


def _emit(text: str, output: str | None) -> None:
    if output:
        write_text(Path(output), text)
    else:
        sys.stdout.write(text)


def _check_output(output: str | None, *inputs: str | None) -> None:
    if output:
        check_output(Path(output), inputs)
