"""Generated expressions for fuzzing the readers (tests/test_fuzz.py, bounded, in CI; benchmarks/fuzz.py,
the long run): pieces of real expressions put together, real cells mutated, nested brackets, and long
runs; and the check every reading must pass."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

from scoring import ExpressionError

CORPUS = Path(__file__).parent / "corpus"
PIECES = ["≥", "≤", "=", ">", "<", ">=", "＞＝", "‹=", "≧", "═", "±", "+/-", "大于", "不少于", "以上", "以内", "左右",
          "余", "多", "95", "0.5", "1,000", "９５", "1e308", "NaN", "inf", "-0", "00", ".", "..", "两万", "百分之",
          "九十五", "〇", "亿", "点", "%", "‰", "(%)", "(", ")", "（万人份）", "万", "元", "萬元", "次/周", "GB/年",
          "小时", "分钟", "-", "～", "至", "、", "；", " ", "\u3000", "$", "\\geq", "\\%", "9月", "2021年", "12月31日",
          "前", "底前", "完成", "健全", "未", "无", "使用率", "误差率", "(8家)", "xyz", "kgs", "\n", "\t", "·", "*", "/",
          "\u200b", "\ufeff", "😀", "=HYPERLINK(", "@", "\\", "\"", "'"]
ALPHABETS = ["0123456789.,%", "〇一二三四五六七八九十百千万亿零点两", "≥≤=<>()（）%万元次人", "abcXYZ/*^²³"]


def corpus_cells() -> list[str]:
    cells = [json.loads(line)["text"] for line in (CORPUS / "expressions.jsonl").read_text(encoding="utf-8").splitlines()]
    return [c for c in cells if isinstance(c, str)]


def expression(rng: random.Random, cells: list[str]) -> str:
    """One generated expression, of one of the kinds, chosen by ``rng``."""
    kind = rng.randrange(6)
    if kind == 0:
        return "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 12)))
    if kind == 1:                                   # a real cell, mutated
        text = list(rng.choice(cells))
        for _ in range(rng.randrange(1, 4)):
            at = rng.randrange(len(text) + 1)
            choice = rng.randrange(3)
            if choice == 0 and text:
                del text[min(at, len(text) - 1)]
            elif choice == 1:
                text.insert(at, rng.choice(PIECES))
            elif text:
                text[min(at, len(text) - 1)] = rng.choice(PIECES)
        return "".join(text)
    if kind == 2:                                   # nested brackets
        depth = rng.randrange(1, 200)
        return "(" * depth + rng.choice(cells) + ")" * rng.randrange(depth + 1)
    if kind == 3:                                   # a long run of one alphabet
        alphabet = rng.choice(ALPHABETS)
        return "".join(rng.choice(alphabet) for _ in range(rng.choice((50, 500, 999, 1000, 1001, 10000))))
    if kind == 4:                                   # a comparator and a very long or very small number
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 400)))
        return rng.choice(["≥", "≤", "", "="]) + rng.choice(["", "0.", "-"]) + digits + rng.choice(["", "%", "万元", "次"])
    return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(0, 30)))


def odd(read, text: str) -> str | None:
    """What is wrong with reading ``text``: None when it reads or is refused with our error; else
    ``crash``, ``non_finite`` (a number JSON cannot hold) or ``rounded`` (a number not kept as written)."""
    try:
        reading = read(text)
    except ExpressionError as error:
        return None if 1 <= error.column <= len(text) + 1 else "crash"
    except Exception:                               # anything else is a crash, whatever it is
        return "crash"
    try:
        json.dumps(reading.as_dict(), allow_nan=False)
    except ValueError:
        return "non_finite"
    except Exception:                               # as_dict itself failing (a float overflow) is a crash
        return "crash"
    for value in (reading.value, reading.low, reading.high):
        if value is not None and Decimal(repr(float(value))) != value:
            return "rounded"
    return None
