"""The ``score`` command's arguments: one argparse parser with a subcommand per job, sharing the options
that mean the same everywhere (--ruleset, -o, --quiet, --encoding)."""

from __future__ import annotations

import argparse
from datetime import date

from scoring import __version__, writers
from scoring.api import PERIODS
from scoring.chunks import CHUNK_ROWS
from scoring.writers.files import ENCODINGS

DEFAULT_COMMAND = "run"
_FILE = "（- 为标准输入）"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="score", description="绩效自评评分：按规则集为指标值与实际完成值评分、审核目标、运行监控。",
        epilog="不写命令时即 score run：score targets.json actuals.json。每个命令的选项见 score COMMAND --help。"
               "退出码：0 完成，1 完成但有问题，2 用法或输入错误，3 内部错误。", add_help=False)
    _help(top)
    top.add_argument("--version", action="version", version=f"score {__version__}", help="显示版本并退出")
    subparsers = top.add_subparsers(dest="command", title="命令", metavar="COMMAND")

    def command(name: str, **options) -> argparse.ArgumentParser:
        sub = subparsers.add_parser(name, add_help=False, **options)
        _help(sub)
        sub.set_defaults(usage=sub.error)          # a command's own usage error, as argparse gives it
        return sub

    ruleset, output, quiet, encoding = _shared()

    run = command("run", parents=[ruleset, output, quiet, encoding], help="评分（缺省命令）",
                              description="按规则集为指标值与实际完成值评分，输出每个指标、每级指标和项目的得分与理由。")
    run.add_argument("targets", help="指标值文件 targets.json、已填写的自评表 xlsx，或一行一个指标的 CSV / Parquet" + _FILE)
    run.add_argument("actuals", nargs="?", help="实际完成值文件 actuals.json（缺省时每个指标都按未填写计）" + _FILE)
    run.add_argument("--period", choices=PERIODS, default="year", help="year：全年指标值；H1：半年指标值")
    _format(run, writers.FORMATS)
    run.add_argument("--csv-safe", action="store_true",
                     help="CSV 中以 = + - @ 开头的文字前加 '，防止电子表格当作公式执行（缺省保留原样）")
    run.add_argument("--chunk-rows", type=_rows, default=CHUNK_ROWS, metavar="N",
                     help=f"一行一个指标的 CSV / Parquet 写成 -o 的 CSV / Parquet 时，每次读入并评分约 N 行（按项目切分，"
                          f"内存不随文件增长；缺省 {CHUNK_ROWS}；0 为整表一次读入）")

    check = command("check", parents=[ruleset, output, quiet], help="核对已填写的自评表",
                                description="按规则集重算已填写的自评表，列出与规则不符之处。发现问题时退出码为 1。")
    check.add_argument("workbook", help="已填写的自评表 xlsx" + _FILE)
    _format(check, ("table", "json", "xlsx"))

    imported = command("import", parents=[output, quiet], help="读入申报表",
                                   description="把绩效目标申报表的文本（PDF 或网页导出，制表符分隔）读成 targets.json。")
    imported.add_argument("files", nargs="+", metavar="FILE", help="申报表文本文件（UTF-8 或 GBK）" + _FILE)
    imported.add_argument("--report", help="把每一处修复写入此 JSON 文件")

    template = command("template", parents=[output, quiet], help="生成待填的实际值文件",
                                   description="由 targets.json 生成待填写的 actuals.json（缺省写到标准输出）。")
    template.add_argument("targets", help="targets.json" + _FILE)

    parse = command("parse", help="显示表达式的解读", description="显示指标值（或实际完成值）的解读。")
    parse.add_argument("expressions", nargs="*", metavar="EXPR",
                       help="表达式；与 --jsonl 一起给出 - 时从标准输入逐行读取")
    parse.add_argument("--jsonl", action="store_true", help="每个表达式输出一行 JSON（契约见 docs/expressions.md）")
    parse.add_argument("--actual", action="store_true", help="按实际完成值解读（默认按指标值）")

    command("rulesets", help="列出规则集", description="列出随引擎提供的规则集：名称与标题。")

    review = command("review", parents=[ruleset, output, quiet], help="目标审核（年初）",
                                 description="目标审核：年初检查申报的绩效目标与指标（docs/review.md）。发现问题时退出码为 1。")
    review.add_argument("files", nargs="+", metavar="FILE",
                        help="申报表文本（.txt，与 score import 相同）、targets.json、xlsx 或 CSV" + _FILE)
    _format(review, ("table", "json", "xlsx"))

    monitor = command("monitor", parents=[ruleset, output, quiet, encoding], help="运行监控（年中）",
                                  description="运行监控：年中对照时间进度检查预算执行与指标完成（docs/monitor.md）。"
                                              "有红灯时退出码为 1。")
    monitor.add_argument("targets", help="指标值文件 targets.json（或 xlsx、CSV）" + _FILE)
    monitor.add_argument("progress", nargs="?",
                         help="截至监控日的进展，格式同 actuals.json（一行一个指标的表格已含进展时不给）" + _FILE)
    monitor.add_argument("--as-of", type=_day, default=None, help="监控日 YYYY-MM-DD（缺省今天）")
    _format(monitor, ("table", "json", "csv", "xlsx"))
    return top


def _help(command: argparse.ArgumentParser) -> None:
    command.add_argument("-h", "--help", action="help", help="显示此帮助并退出")


def _shared() -> tuple[argparse.ArgumentParser, ...]:
    ruleset = argparse.ArgumentParser(add_help=False)
    ruleset.add_argument("--ruleset", help="规则集名称或 TOML 文件路径（缺省取输入文件所写，否则 national-2020）")
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("-o", "--output", help="写入文件（整体写入，失败时不留半个文件；缺省写到标准输出）")
    quiet = argparse.ArgumentParser(add_help=False)
    quiet.add_argument("--quiet", action="store_true", help="不显示进度（进度只在标准错误是终端时显示）")
    encoding = argparse.ArgumentParser(add_help=False)
    encoding.add_argument("--encoding", choices=ENCODINGS, default="utf-8",
                          help="CSV 的编码：utf-8（缺省）；Windows 上的 Excel 用 utf-8-sig 或 gbk")
    return ruleset, output, quiet, encoding


def _format(command: argparse.ArgumentParser, forms: tuple[str, ...]) -> None:
    command.add_argument("--format", choices=forms, help="输出格式（缺省 table；-o 的扩展名为其中之一时按扩展名）")


def _rows(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"应为不小于 0 的整数，而不是「{text}」")
    return int(text)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为 YYYY-MM-DD 格式的日期，而不是「{text}」") from None


def with_command(argv: list[str], commands: tuple[str, ...]) -> list[str]:
    """``argv`` with ``run`` put first when it names no command (``score targets.json actuals.json``);
    ``score``, ``score --help`` and ``score --version`` are left to the top parser."""
    if not argv or argv[0] in commands or argv[0] in ("-h", "--help", "--version"):
        return argv
    return [DEFAULT_COMMAND, *argv]
