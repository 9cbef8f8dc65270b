"""``score parse``: what is read from a target or an actual, as text for people or one JSON line per
expression (docs/expressions.md); ``-`` reads expressions line by line from standard input."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Iterable, TextIO

from scoring.errors import ExpressionError
from scoring.model import Kind, Reading
from scoring.parse import parse_actual, parse_target

_KIND_NAMES = {Kind.QUANTITY: "数量", Kind.RANGE: "范围", Kind.QUALITATIVE: "定性",
               Kind.RELATIVE: "相对比较", Kind.DATE: "日期", Kind.COMPOUND: "复合"}


def parse(args: argparse.Namespace) -> int:
    read = parse_actual if args.actual else parse_target
    if args.expressions == ["-"]:
        if not args.jsonl:
            args.usage("从标准输入读取（-）需要 --jsonl")
        lines: Iterable = _stdin_lines(sys.stdin.buffer)
    elif not args.expressions:
        args.usage("请给出表达式，或 --jsonl - 从标准输入读取")
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
