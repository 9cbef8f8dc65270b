"""The ``score`` command. ``main(argv) -> int``: 0 clean, 1 done with problems, 2 usage or input error.

Diagnostics go to stderr; no traceback reaches a user for anything but a bug in the engine.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Iterable, TextIO

from scoring.errors import ExpressionError, ScoringError
from scoring.model import Kind, Reading
from scoring.parse import parse_actual, parse_target

_KIND_NAMES = {Kind.QUANTITY: "数量", Kind.RANGE: "范围", Kind.QUALITATIVE: "定性",
               Kind.RELATIVE: "相对比较", Kind.DATE: "日期", Kind.COMPOUND: "复合"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="score", description="绩效自评评分引擎 / performance self-assessment scoring")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    read = commands.add_parser("parse", help="显示指标值的解读 / show how expressions are read",
                               description="显示指标值（或实际完成值）的解读。")
    read.add_argument("expressions", nargs="*", metavar="EXPR",
                      help="表达式；与 --jsonl 一起给出 - 时从标准输入逐行读取")
    read.add_argument("--jsonl", action="store_true",
                      help="每个表达式输出一行 JSON（契约见 docs/expressions.md）")
    read.add_argument("--actual", action="store_true", help="按实际完成值解读（默认按指标值）")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        if args.command == "parse":
            return _parse_command(args, parser)
    except SystemExit as exit_:   # argparse's usage errors and --help
        return exit_.code if isinstance(exit_.code, int) else 2
    except ScoringError as error:
        print(f"score: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 2


def _parse_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    read = parse_actual if args.actual else parse_target
    if args.expressions == ["-"]:
        if not args.jsonl:
            parser.error("从标准输入读取（-）需要 --jsonl")
        lines = _stdin_lines(sys.stdin.buffer)
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
