"""The ``score`` command. ``main(argv) -> int``: 0 clean, 1 done with problems, 2 usage or input error,
3 an internal error (a bug: one line on stderr, the traceback with SCORING_DEBUG=1); 128 + the signal
when interrupted.

    score [run] TARGETS [ACTUALS] [--ruleset R] [--period year|H1] [--format F] [-o FILE]
    score check | import | template | parse | rulesets | review | monitor …   (score COMMAND --help)

The arguments (cli/parsers.py), the commands (cli/commands.py, cli/expressions.py), standard input and
progress (cli/streams.py). Diagnostics go to stderr; no traceback reaches a user for anything but a bug
in the engine. Output files are written whole or not at all.
"""

from __future__ import annotations

import os
import signal
import sys

from scoring.cli import commands, expressions, signals
from scoring.cli.parsers import parser, with_command
from scoring.errors import ExpressionError, InputError, ScoringError

COMMANDS = {"run": commands.run, "check": commands.check, "import": commands.import_, "template": commands.template,
            "parse": expressions.parse, "rulesets": commands.rulesets, "review": commands.review,
            "monitor": commands.monitor}

FILE_FORMATS = ("xlsx", "docx", "parquet")                 # written to a file only, never to standard output


def main(argv: list[str] | None = None) -> int:
    with signals.interruptible():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    argv = with_command(list(sys.argv[1:] if argv is None else argv), tuple(COMMANDS))
    try:
        top = parser()
        args = top.parse_args(argv)
        if args.command is None:
            top.error("请给出命令，或要评分的 targets.json（score targets.json actuals.json）")
        if getattr(args, "format", None) in FILE_FORMATS and not args.output:
            args.usage(f"{args.format} 格式需要 -o FILE / the {args.format} format needs -o FILE")
        return COMMANDS[args.command](args)
    except SystemExit as exit_:   # argparse's usage errors, --help and --version
        return exit_.code if isinstance(exit_.code, int) else 2
    except ScoringError as error:
        code = f" [{error.code}]" if isinstance(error, (InputError, ExpressionError)) else ""
        print(f"score: {error}{code}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as interrupt:
        signum = interrupt.signum if isinstance(interrupt, signals.Interrupted) else signal.SIGINT
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


if __name__ == "__main__":
    sys.exit(main())
