"""The ``score`` command. ``main(argv) -> int``: 0 clean, 1 done with problems, 2 usage or input error,
3 an internal error (a bug: one line on stderr, the traceback with SCORING_DEBUG=1).

    score TARGETS [ACTUALS] [--ruleset R] [--period year|H1] [--format table|json|csv|xlsx] [-o FILE]
    score parse [--jsonl] [--actual] EXPR… | -
    score import FILE… [-o targets.json] [--report FILE]
    score template targets.json [-o actuals.json]
    score check 自评表.xlsx [--ruleset R] [--format table|json|xlsx] [-o FILE]
    score review 申报表.txt|targets.json|xlsx [--ruleset R] [--format table|json|xlsx] [-o FILE]
    score monitor targets.json progress.json [--as-of DATE] [--ruleset R] [--format table|json|csv|xlsx] [-o FILE]
    score rulesets

Diagnostics go to stderr; no traceback reaches a user for anything but a bug in the engine.
Output files are written whole or not at all.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Iterable, TextIO

from scoring.api import PERIODS, score
from scoring.errors import ExpressionError, InputError, ScoringError
from scoring import readers, writers
from scoring.readers.declarations import import_files
from scoring.template import template
from scoring.writers.files import check_output, write_text
from scoring.writers.lifecycle import emit, findings_tables, findings_text, monitoring_tables, monitoring_text
from scoring.model import Kind, Reading
from scoring.parse import parse_actual, parse_target
from scoring.rulesets import DEFAULT, available, load_ruleset

_KIND_NAMES = {Kind.QUANTITY: "数量", Kind.RANGE: "范围", Kind.QUALITATIVE: "定性",
               Kind.RELATIVE: "相对比较", Kind.DATE: "日期", Kind.COMPOUND: "复合"}


def _score_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="score", description="绩效自评评分：按规则集为指标值与实际完成值评分。",
        epilog="其他命令：score import FILE…（读入申报表）；score review FILE…（目标审核）；"
               "score template targets.json（生成待填的实际值文件）；"
               "score parse EXPR…（显示表达式的解读）；score rulesets（列出规则集）。")
    parser.add_argument("targets", help="指标值文件 targets.json")
    parser.add_argument("actuals", nargs="?", help="实际完成值文件 actuals.json（缺省时每个指标都按未填写计）")
    parser.add_argument("--ruleset", help="规则集名称或 TOML 文件路径（缺省取 targets.json 所写，否则 national-2020）")
    parser.add_argument("--period", choices=PERIODS, default="year", help="year：全年指标值；H1：半年指标值")
    parser.add_argument("--format", choices=writers.FORMATS,
                        help="输出格式（缺省 table；-o 的扩展名为 .xlsx/.json/.csv/.parquet 时按扩展名）")
    parser.add_argument("--quiet", action="store_true", help="不显示进度（只在标准错误是终端时显示）")
    parser.add_argument("--csv-safe", action="store_true",
                        help="CSV 中以 = + - @ 开头的文字前加 '，防止电子表格当作公式执行（缺省保留原样）")
    parser.add_argument("-o", "--output", help="写入文件（整体写入，失败时不留半个文件）")
    return parser


def _check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="score check",
                                     description="按规则集重算已填写的自评表，列出与规则不符之处。发现问题时退出码为 1。")
    parser.add_argument("workbook", help="已填写的自评表 xlsx")
    parser.add_argument("--ruleset", help="规则集名称或 TOML 文件路径（缺省 national-2020）")
    parser.add_argument("--format", choices=("table", "json", "xlsx"), help="输出格式（缺省 table）")
    parser.add_argument("-o", "--output", help="写入文件（xlsx 格式必须给出）")
    return parser


def _review_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="score review",
                                     description="目标审核：年初检查申报的绩效目标与指标（docs/review.md）。发现问题时退出码为 1。")
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="申报表文本（.txt，与 score import 相同）、targets.json、xlsx 或 CSV")
    parser.add_argument("--ruleset", help="规则集名称或 TOML 文件路径（缺省取文件所写，否则 national-2020）")
    parser.add_argument("--format", choices=("table", "json", "xlsx"), help="输出格式（缺省 table；-o 为 .xlsx 时按扩展名）")
    parser.add_argument("-o", "--output", help="写入文件")
    return parser


def _monitor_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="score monitor",
                                     description="运行监控：年中对照时间进度检查预算执行与指标完成（docs/monitor.md）。有红灯时退出码为 1。")
    parser.add_argument("targets", help="指标值文件 targets.json（或 xlsx、CSV）")
    parser.add_argument("progress", nargs="?", help="截至监控日的进展，格式同 actuals.json（一行一个指标的表格已含进展时不给）")
    parser.add_argument("--as-of", type=_day, default=None, help="监控日 YYYY-MM-DD（缺省今天）")
    parser.add_argument("--ruleset", help="规则集名称或 TOML 文件路径（缺省取 targets.json 所写，否则 national-2020）")
    parser.add_argument("--format", choices=("table", "json", "csv", "xlsx"), help="输出格式（缺省 table；按 -o 的扩展名）")
    parser.add_argument("-o", "--output", help="写入文件")
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为 YYYY-MM-DD 格式的日期，而不是「{text}」") from None


def _parse_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="score parse", description="显示指标值（或实际完成值）的解读。")
    parser.add_argument("expressions", nargs="*", metavar="EXPR",
                        help="表达式；与 --jsonl 一起给出 - 时从标准输入逐行读取")
    parser.add_argument("--jsonl", action="store_true", help="每个表达式输出一行 JSON（契约见 docs/expressions.md）")
    parser.add_argument("--actual", action="store_true", help="按实际完成值解读（默认按指标值）")
    return parser


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM, raised where the program stands so that output files are cleaned up."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _interrupted(signum: int, frame) -> None:
    _ignore_signals()                      # a second signal must not interrupt the cleanup
    raise Interrupted(signum)


def _ignore_signals() -> None:
    """From here on SIGINT and SIGTERM change nothing (the work is cleaned up, or its output is whole)."""
    if threading.current_thread() is threading.main_thread():
        for signum in _SIGNALS:
            signal.signal(signum, signal.SIG_IGN)


def main(argv: list[str] | None = None) -> int:
    if threading.current_thread() is not threading.main_thread():
        return _main(argv)
    handlers = {signum: signal.getsignal(signum) for signum in _SIGNALS}
    for signum, handler in handlers.items():
        if handler is not signal.SIG_IGN:          # a signal ignored by whoever started us stays ignored
            signal.signal(signum, _interrupted)
    try:
        return _main(argv)
    finally:
        for signum, handler in handlers.items():
            if handler is not None:                # None: installed outside Python, cannot be put back
                signal.signal(signum, handler)


def _main(argv: list[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["parse"]:
            parser = _parse_parser()
            return _parse_command(parser.parse_args(argv[1:]), parser)
        if argv[:1] == ["rulesets"]:
            return _rulesets_command()
        if argv[:1] == ["import"]:
            return _import_command(_import_parser().parse_args(argv[1:]))
        if argv[:1] == ["template"]:
            return _template_command(_template_parser().parse_args(argv[1:]))
        if argv[:1] == ["check"]:
            return _check_command(_check_parser().parse_args(argv[1:]))
        if argv[:1] == ["review"]:
            return _review_command(_review_parser().parse_args(argv[1:]))
        if argv[:1] == ["monitor"]:
            return _monitor_command(_monitor_parser().parse_args(argv[1:]))
        return _score_command(_score_parser().parse_args(argv))
    except SystemExit as exit_:   # argparse's usage errors and --help
        return exit_.code if isinstance(exit_.code, int) else 2
    except ScoringError as error:
        code = f" [{error.code}]" if isinstance(error, (InputError, ExpressionError)) else ""
        print(f"score: {error}{code}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as interrupt:
        signum = interrupt.signum if isinstance(interrupt, Interrupted) else signal.SIGINT
        ended = "\n" if sys.stderr.isatty() else ""          # after a progress bar
        print(f"{ended}score: 已中断（{signal.Signals(signum).name}），未完成的输出文件没有写出 / interrupted",
              file=sys.stderr)
        return 128 + signum
    except BrokenPipeError:            # score … | head: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:         # a bug in the engine: say so in a line, not a traceback
        if os.environ.get("SCORING_DEBUG"):
            raise
        print(f"score: 内部错误 / internal error: {type(error).__name__}: {error}\n"
              "这是评分引擎的缺陷，请连同输入文件一起报告；设置 SCORING_DEBUG=1 可看到详细信息。", file=sys.stderr)
        return 3


def _import_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="score import",
                                     description="把绩效目标申报表的文本（PDF 或网页导出，制表符分隔）读成 targets.json。")
    parser.add_argument("files", nargs="+", metavar="FILE", help="申报表文本文件（UTF-8 或 GBK）")
    parser.add_argument("-o", "--output", help="写入 targets.json（缺省写到标准输出）")
    parser.add_argument("--report", help="把每一处修复写入此 JSON 文件")
    return parser


def _template_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="score template", description="由 targets.json 生成待填写的 actuals.json。")
    parser.add_argument("targets", help="targets.json")
    parser.add_argument("-o", "--output", help="写入 actuals.json（缺省写到标准输出）")
    return parser


def _import_command(args: argparse.Namespace) -> int:
    _check_output(args.output, *args.files)
    _check_output(args.report, *args.files)
    data, repairs = import_files([Path(f) for f in args.files])
    _emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n", args.output)
    if args.report:
        report = {"repairs": [r.as_dict() for r in repairs]}
        write_text(Path(args.report), json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    count = sum(len(p["indicators"]) for p in data["projects"])
    kinds = Counter(r.code for r in repairs)
    summary = "，".join(f"{code} {n}" for code, n in sorted(kinds.items())) or "无"
    print(f"score import: {len(data['projects'])} 个项目，{count} 个指标；修复与存疑 {len(repairs)} 处（{summary}）",
          file=sys.stderr)
    for repair in repairs:
        print(f"  {repair.file}:{repair.line} [{repair.code}] {repair.project}：{repair.message}", file=sys.stderr)
    return 0


def _template_command(args: argparse.Namespace) -> int:
    _check_output(args.output, args.targets)
    _emit(json.dumps(template(readers.read(args.targets)), ensure_ascii=False, indent=2) + "\n", args.output)
    return 0


def _emit(text: str, output: str | None) -> None:
    if output:
        write_text(Path(output), text)
    else:
        sys.stdout.write(text)


def _format(args: argparse.Namespace) -> str:
    return args.format or writers.format_for(args.output)


class _Progress:
    """A bar of the run's stages on stderr, only when stderr is a terminal and not --quiet."""

    STAGES = ("读取并评分", "输出")

    def __init__(self, quiet: bool) -> None:
        self.shown = not quiet and sys.stderr.isatty()
        self.start = time.monotonic()

    def stage(self, index: int, detail: str = "") -> None:
        if self.shown:
            done = int(20 * index / len(self.STAGES))
            sys.stderr.write(f"\r[{'#' * done}{'.' * (20 - done)}] {self.STAGES[index]} {detail}"
                             f"（{time.monotonic() - self.start:.1f} 秒）\x1b[K")
            sys.stderr.flush()

    def done(self) -> None:
        if self.shown:
            sys.stderr.write(f"\r[{'#' * 20}] 完成（{time.monotonic() - self.start:.1f} 秒）\x1b[K\n")


def _score_command(args: argparse.Namespace) -> int:
    _check_output(args.output, args.targets, args.actuals, args.ruleset)
    progress = _Progress(args.quiet)
    progress.stage(0)
    report = score(args.targets, args.actuals, ruleset=args.ruleset, period=args.period)
    progress.stage(1, f"{len(report):,} 个指标")
    writers.write(report, _format(args), args.output or sys.stdout, spreadsheet_safe=args.csv_safe)
    _ignore_signals()                     # the output is whole: an interruption now would misreport it
    progress.done()
    if not report.has_issues:
        return 0
    _say_issues(report, args.targets)
    return 1


_SHOWN_ISSUES = 5


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


def _check_output(output: str | None, *inputs: str | None) -> None:
    if output:
        check_output(Path(output), inputs)


def _check_command(args: argparse.Namespace) -> int:
    from scoring.check import filled, findings as findings_of, ranked as ranked_by

    _check_output(args.output, args.workbook, args.ruleset)
    data, printed = filled(Path(args.workbook))
    findings = findings_of(data, printed, args.ruleset)
    form = _format(args)
    ranked, unexplained = ranked_by(data)
    fits = [f.as_dict() for f in ranked]
    unexplained_rows = [{"project": p, "indicator": i} for p, i in unexplained]
    if form == "xlsx":
        if not args.output:
            raise ScoringError("xlsx 格式需要 -o FILE / the xlsx format needs -o FILE")
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
    return 1 if findings else 0


def _review_command(args: argparse.Namespace) -> int:
    from scoring.review import review

    _check_output(args.output, *args.files, args.ruleset)
    findings = []
    for file in args.files:
        source = import_files([Path(file)])[0] if file.lower().endswith(".txt") else file
        inputs = readers.read(source)
        findings += review(inputs.projects, inputs.indicators, load_ruleset(args.ruleset or inputs.ruleset or DEFAULT))
    emit(findings, args.format or writers.format_for(args.output), args.output, findings_text, findings_tables,
         ("table", "json", "xlsx"))
    return 1 if findings else 0


def _monitor_command(args: argparse.Namespace) -> int:
    from scoring.monitor import monitor

    _check_output(args.output, args.targets, args.progress, args.ruleset)
    inputs = readers.read(args.targets, args.progress)
    ruleset = load_ruleset(args.ruleset or inputs.ruleset or DEFAULT)
    watched = monitor(inputs.projects, inputs.indicators, ruleset, args.as_of or date.today())
    emit(watched, args.format or writers.format_for(args.output), args.output,
         lambda w, form: monitoring_text(w, ruleset.name, form), monitoring_tables, ("table", "json", "csv", "xlsx"))
    return 1 if watched.any_red else 0


def _rulesets_command() -> int:
    for name in available():
        ruleset = load_ruleset(name)
        print(f"{name}\t{ruleset.title}")
    return 0


def _parse_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    read = parse_actual if args.actual else parse_target
    if args.expressions == ["-"]:
        if not args.jsonl:
            parser.error("从标准输入读取（-）需要 --jsonl")
        lines: Iterable = _stdin_lines(sys.stdin.buffer)
    elif not args.expressions:
        parser.error("请给出表达式，或 --jsonl - 从标准输入读取")
    else:
        lines = args.expressions
    failed = 0
    out = sys.stdout
    for line in lines:
        if isinstance(line, UnicodeDecodeError):
            failed += 1
            _write_json(out, {"text": None, "ok": False, "error": {
                "code": "bad_encoding", "column": line.start + 1, "expected": "UTF-8",
                "message": f"不是 UTF-8 文本 / not UTF-8 (byte {line.start + 1})"}})
            continue
        try:
            reading = read(line)
        except ExpressionError as error:
            failed += 1
            if args.jsonl:
                _write_json(out, {"text": line, "ok": False, "error": error.as_dict()})
            else:
                print(f"{line}\n  错误 [{error.code}] {error}", file=out)
            continue
        if args.jsonl:
            _write_json(out, reading.as_dict())
        else:
            print(_describe(reading), file=out)
    out.flush()
    return 1 if failed else 0


def _stdin_lines(stream) -> Iterable[str | UnicodeDecodeError]:
    for raw in stream:
        raw = raw.rstrip(b"\r\n")
        try:
            yield raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            yield error


def _write_json(out: TextIO, obj: dict) -> None:
    out.write(json.dumps(obj, ensure_ascii=False))
    out.write("\n")


def _describe(reading: Reading, indent: str = "  ") -> str:
    lines = [reading.text] if indent == "  " else [f"{indent[:-2]}- {reading.text}"]
    facts = [("类型", f"{_KIND_NAMES[reading.kind]} ({reading.kind})")]
    if reading.label:
        facts.append(("标签", reading.label))
    facts.append(("比较符", str(reading.op) if reading.op else "未写明"))
    if reading.kind is Kind.QUANTITY:
        amount = f"{reading.value} {reading.unit}".rstrip()
        if reading.unit and reading.base_unit != reading.unit:
            amount += f"（= {float(reading.magnitude):g} {reading.base_unit}）".replace(" ）", "）")
        facts.append(("数值", amount))
    elif reading.kind is Kind.RANGE:
        facts.append(("范围", f"{reading.low} ~ {reading.high} {reading.unit}".rstrip()))
    elif reading.kind is Kind.DATE:
        facts.append(("日期", str(reading.deadline)))
    if reading.reference:
        facts.append(("比较对象", reading.reference))
    if reading.word:
        facts.append(("文字", reading.word))
    if reading.note:
        facts.append(("备注", reading.note))
    if reading.kind is Kind.COMPOUND:
        facts = facts[:1]
    lines += [f"{indent}{name}：{value}" for name, value in facts]
    lines += [_describe(part, indent + "    ") for part in reading.parts]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
