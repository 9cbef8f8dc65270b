"""The grammar's side of reading: grammar/expression.lark parsed by Lark (LALR, a transformer applied
while it parses) into small nodes that remember where each piece stands; lark's errors turned into
ExpressionErrors that name the column. Lark stays inside this package."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Union

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from scoring.errors import ErrorCode, ExpressionError
from scoring.model import Op

GRAMMAR = "expression.lark"

OPS = {
    "GE": Op.GE, "GE_WORD": Op.GE, "GE_AFTER": Op.GE,
    "LE": Op.LE, "LE_WORD": Op.LE, "LE_AFTER": Op.LE,
    "EQ": Op.EQ,
    "GT": Op.GT, "GT_WORD": Op.GT,
    "LT": Op.LT, "LT_WORD": Op.LT,
}
# What each terminal is, for "expected …" in error messages.
_EXPECTED = {
    "NUMBER": "数字", "CN_NUMBER": "中文数字", "SIGN": "正负号", "DATE": "日期",
    "UNIT": "单位", "PERCENT": "%", "PAREN": "括号", "TEXT": "文字",
    "GE": "比较符", "LE": "比较符", "EQ": "比较符", "GT": "比较符", "LT": "比较符",
    "GE_WORD": "比较词", "LE_WORD": "比较词", "GT_WORD": "比较词", "LT_WORD": "比较词",
    "GE_AFTER": "以上/以下", "LE_AFTER": "以上/以下", "_PERCENT_OF": "百分之",
    "_RANGE_SEP": "范围符号", "_PLUS_MINUS": "±", "_SEP": "分隔符", "DOLLAR": "$", "$END": "结尾",
}


# ---- internal nodes (spans are character offsets into the expression) ---------------------------

@dataclass(frozen=True, slots=True)
class Words:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class OpNode:
    op: Op
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Amount:
    number: Token
    percent_of: bool
    sign: Token | None
    unit: Token | None
    parens: tuple[Token, ...]
    postfix: Token | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Phrase:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Part:
    rule: str
    items: tuple
    start: int
    end: int


Item = Union[Words, OpNode, Amount, Phrase, Token]


def end_of(item: Item) -> int:
    return item.end_pos if isinstance(item, Token) else item.end


def start_of(item: Item) -> int:
    return item.start_pos if isinstance(item, Token) else item.start


class Syntax(Transformer):
    """Rules → internal nodes; named after the grammar's rules (children come as a list)."""

    def start(self, parts: list[Part]) -> tuple[Part, ...]:
        return tuple(parts)

    def words(self, tokens: list[Token]) -> Words:
        return Words(tokens[0].start_pos, tokens[-1].end_pos)

    def op(self, children: list[Token]) -> OpNode:
        token = children[0]
        return OpNode(OPS[token.type], token.start_pos, token.end_pos)

    def percent_of(self, children: list[Token]) -> tuple[str, Token]:
        return ("percent_of", children[0])

    def phrase(self, children: list) -> Phrase:
        return Phrase(start_of(children[0]), end_of(children[-1]))

    def amount(self, children: list) -> Amount:
        sign = unit = postfix = None
        number, percent_of, parens = None, False, []
        for child in children:
            if isinstance(child, tuple):
                number, percent_of = child[1], True
            elif child.type == "SIGN":
                sign = child
            elif child.type in ("NUMBER", "CN_NUMBER"):
                number = child
            elif child.type in ("UNIT", "PERCENT"):
                unit = child
            elif child.type == "PAREN":
                parens.append(child)
            else:
                postfix = child
        first = sign or number
        start = first.start_pos - (3 if percent_of and sign is None else 0)
        last = children[-1]
        end = last[1].end_pos if isinstance(last, tuple) else end_of(last)
        return Amount(number, percent_of, sign, unit, tuple(parens), postfix, start, end)

    def _part(self, rule: str, items: tuple) -> Part:
        return Part(rule, items, start_of(items[0]), end_of(items[-1]))

    def chain(self, items: list) -> Part:
        return self._part("chain", tuple(items))

    def range(self, items: list) -> Part:
        return self._part("range", tuple(items))

    def tolerance(self, items: list) -> Part:
        return self._part("tolerance", tuple(items))

    def relative(self, items: list) -> Part:
        return self._part("relative", tuple(items))

    def qualitative(self, items: list) -> Part:
        return self._part("qualitative", tuple(items))

    def date(self, items: list) -> Part:
        return self._part("date", tuple(items))


@cache
def parser(strict: bool = False) -> Lark:
    """The LALR parser, built once per process (``strict`` also checks for conflicts and collisions)."""
    source = resources.files("scoring.grammar").joinpath(GRAMMAR).read_text(encoding="utf-8")
    if strict:
        return Lark(source, parser="lalr", strict=True, propagate_positions=False)
    return Lark(source, parser="lalr", transformer=Syntax())



def syntax_error(text: str, error: UnexpectedInput) -> ExpressionError:
    if isinstance(error, UnexpectedToken) and error.token.type == "$END":
        expected = _describe(error.expected)
        return ExpressionError(text, len(text) + 1, ErrorCode.UNEXPECTED_END,
                               "表达式不完整 / unexpected end", expected)
    if isinstance(error, UnexpectedToken):
        column = error.token.start_pos + 1
        found = text[error.token.start_pos:error.token.end_pos]
        return ExpressionError(text, column, ErrorCode.UNEXPECTED_TOKEN,
                               f"此处不应出现「{found}」 / unexpected {found!r}",
                               _describe(error.expected))
    if isinstance(error, UnexpectedCharacters):
        column = error.pos_in_stream + 1
        char = text[error.pos_in_stream]
        return ExpressionError(text, column, ErrorCode.UNEXPECTED_CHARACTER,
                               f"无法识别的字符「{char}」 / unexpected character {char!r}",
                               _describe(error.allowed or ()))
    return ExpressionError(text, 1, ErrorCode.UNEXPECTED_TOKEN, str(error))


def _describe(terminals) -> str:
    names = sorted({_EXPECTED.get(name, name) for name in terminals if not name.startswith("__")})
    return "、".join(names)
