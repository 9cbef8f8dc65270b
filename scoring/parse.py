"""Read target and actual expressions: grammar/expression.lark → Target, Actual.

Two stages. The LALR parser, with a transformer applied while it parses, turns text into small
internal nodes that remember where each piece stands. ``_build`` then gives them meaning: numbers
(numbers.py), units (units.py), labels, notes, parts. Lark stays inside this module; callers get
frozen readings (model.py) or an ExpressionError that names the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from typing import Union

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from scoring import numbers, units
from scoring.errors import ErrorCode, ExpressionError, UnknownUnitError
from scoring.model import Actual, Deadline, Kind, Op, Reading, Target

GRAMMAR = "expression.lark"

_OPS = {
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
    "_RANGE_SEP": "范围符号", "_SEP": "分隔符", "DOLLAR": "$", "$END": "结尾",
}
# What may follow a date for it to be a deadline: 前 / 以后 …, then what happens by then.
_DEADLINE_WORDS = re.compile(
    r"(?:(?P<before>前|以前|之前|内|之内|底|末|底前|末前)|(?P<after>后|以后|之后|起))?"
    r"(?:完成|结束|截止|完工|办结|验收|上线|交付|到位|启动|开始|实施)?")
_LABEL_TRIM = " :：\t"
_WITHIN = re.compile(r"之?内")


# ---- internal nodes (spans are character offsets into the expression) ---------------------------

@dataclass(frozen=True, slots=True)
class _Words:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Op:
    op: Op
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Amount:
    number: Token
    percent_of: bool
    sign: Token | None
    unit: Token | None
    parens: tuple[Token, ...]
    postfix: Token | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Phrase:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Part:
    rule: str
    items: tuple
    start: int
    end: int


_Item = Union[_Words, _Op, _Amount, _Phrase, Token]


def _end(item: _Item) -> int:
    return item.end_pos if isinstance(item, Token) else item.end


def _start(item: _Item) -> int:
    return item.start_pos if isinstance(item, Token) else item.start


class _Syntax(Transformer):
    """Rules → internal nodes; named after the grammar's rules (children come as a list)."""

    def start(self, parts: list[_Part]) -> tuple[_Part, ...]:
        return tuple(parts)

    def words(self, tokens: list[Token]) -> _Words:
        return _Words(tokens[0].start_pos, tokens[-1].end_pos)

    def op(self, children: list[Token]) -> _Op:
        token = children[0]
        return _Op(_OPS[token.type], token.start_pos, token.end_pos)

    def percent_of(self, children: list[Token]) -> tuple[str, Token]:
        return ("percent_of", children[0])

    def phrase(self, children: list) -> _Phrase:
        return _Phrase(_start(children[0]), _end(children[-1]))

    def amount(self, children: list) -> _Amount:
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
        end = last[1].end_pos if isinstance(last, tuple) else _end(last)
        return _Amount(number, percent_of, sign, unit, tuple(parens), postfix, start, end)

    def _part(self, rule: str, items: tuple) -> _Part:
        return _Part(rule, items, _start(items[0]), _end(items[-1]))

    def chain(self, items: list) -> _Part:
        return self._part("chain", tuple(items))

    def range(self, items: list) -> _Part:
        return self._part("range", tuple(items))

    def relative(self, items: list) -> _Part:
        return self._part("relative", tuple(items))

    def qualitative(self, items: list) -> _Part:
        return self._part("qualitative", tuple(items))

    def date(self, items: list) -> _Part:
        return self._part("date", tuple(items))


@cache
def parser(strict: bool = False) -> Lark:
    """The LALR parser, built once per process (``strict`` also checks for conflicts and collisions)."""
    source = resources.files("scoring.grammar").joinpath(GRAMMAR).read_text(encoding="utf-8")
    if strict:
        return Lark(source, parser="lalr", strict=True, propagate_positions=False)
    return Lark(source, parser="lalr", transformer=_Syntax())


# ---- public --------------------------------------------------------------------------------------

def parse_target(text: str) -> Target:
    """Read a target value (指标值). Raises ExpressionError naming the column."""
    return _read(_checked(text), Target)


def parse_actual(text: str) -> Actual:
    """Read an actual value (实际完成值). Raises ExpressionError naming the column."""
    return _read(_checked(text), Actual)


def _checked(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"an expression is a str, not {type(text).__name__}")
    return text


# Every terminal treats all digits alike, so texts that differ only in their digits (≥95.00(%) and
# ≥98.50(%)) have the same syntax: it is parsed once per shape, and the builder reads the digits
# from the text itself by position.
_SHAPE = str.maketrans("123456789１２３４５６７８９", "000000000０００００００００")


@lru_cache(maxsize=1 << 16)
def _syntax(shape: str) -> tuple[_Part, ...]:
    return parser().parse(shape)


@lru_cache(maxsize=1 << 12)
def _read(text: str, cls: type[Reading]) -> Reading:
    """The reading of ``text``. Besides this cache, ``_syntax`` and ``_one_number`` hold what a shape
    reads to: clear all three to read afresh."""
    if not text.strip():
        raise ExpressionError(text, 1, ErrorCode.EMPTY, "内容为空 / empty expression", "指标值")
    shape = text.translate(_SHAPE)
    try:
        parts = _syntax(shape)
    except UnexpectedInput as error:
        raise _syntax_error(text, error) from None
    slot = _one_number(shape)
    fields = slot.fields.get(cls) if slot is not None else None
    if fields is not None:
        value = numbers.to_decimal(text[slot.start:slot.end])
        return cls(**fields, text=text, value=-value if slot.negative else value)
    reading = _built(text, cls, parts)
    if slot is not None:
        slot.fields[cls] = {name: getattr(reading, name) for name in reading.__dataclass_fields__
                            if name not in ("text", "value")}
    return reading


@dataclass
class _NumberSlot:
    """Where the one number of a shape stands, and the fields but text and value that every text of the
    shape reads to, by reading class (filled by the first text read)."""

    start: int
    end: int
    negative: bool
    fields: dict = field(default_factory=dict)


@lru_cache(maxsize=1 << 16)
def _one_number(shape: str) -> _NumberSlot | None:
    """The number slot of a shape that reads as one quantity with every digit in its number. Texts of
    one shape differ only in their digits, so all texts of such a shape read alike but for their text
    and their value."""
    parts = _syntax(shape)
    if len(parts) != 1 or parts[0].rule != "chain":
        return None
    amounts = [item for item in parts[0].items if isinstance(item, _Amount)]
    if len(amounts) != 1 or amounts[0].number.type != "NUMBER":
        return None
    number, sign = amounts[0].number, amounts[0].sign
    inside = shape[number.start_pos:number.end_pos]
    if shape.count("0") + shape.count("０") != inside.count("0") + inside.count("０"):
        return None                  # a digit outside the number
    return _NumberSlot(number.start_pos, number.end_pos, sign is not None and shape[sign.start_pos] in "-−")


def _built(text: str, cls: type[Reading], parts: tuple[_Part, ...]) -> Reading:
    """The reading of ``text``, whose syntax is ``parts``."""
    readings = tuple(_Builder(text, cls).part(part) for part in parts)
    if len(readings) == 1:
        return _whole(readings[0], text, cls)
    return cls(text=text, kind=Kind.COMPOUND, parts=readings)


def _whole(reading: Reading, text: str, cls: type[Reading]) -> Reading:
    """The reading of a one-part cell carries the whole cell's text."""
    if reading.text == text:
        return reading
    fields = {name: getattr(reading, name) for name in reading.__dataclass_fields__}
    return cls(**{**fields, "text": text})


def _syntax_error(text: str, error: UnexpectedInput) -> ExpressionError:
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


# ---- meaning ------------------------------------------------------------------------------------

class _Builder:
    """Internal nodes of one expression → readings."""

    def __init__(self, text: str, cls: type[Reading]) -> None:
        self.text = text
        self.cls = cls

    def span(self, start: int, end: int) -> str:
        return self.text[start:end].strip()

    def token(self, token: Token) -> str:
        """A token's text as written (the parse saw only the expression's shape)."""
        return self.text[token.start_pos:token.end_pos]

    def words(self, node: _Words | _Phrase | None) -> str | None:
        return None if node is None else self.text[node.start:node.end].strip(_LABEL_TRIM) or None

    def part(self, part: _Part) -> Reading:
        return getattr(self, part.rule)(part)

    # chain: words? op? amount (words op? amount)* phrase?
    def chain(self, part: _Part) -> Reading:
        pieces, label, op, start, note = [], None, None, part.start, None
        for item in part.items:
            if isinstance(item, _Words):
                label, start = item, item.start
            elif isinstance(item, _Op):
                op, start = item, (start if label else item.start)
            elif isinstance(item, _Amount):
                pieces.append((start, item, label, op))
                label, op = None, None
            else:
                note = item
        built = []
        for index, (begin, amount, label_node, op_node) in enumerate(pieces):
            last_note = note if index == len(pieces) - 1 else None
            end = last_note.end if last_note else amount.end
            built.append(self.quantity(begin, end, self.words(label_node), op_node, amount, last_note))
        if len(built) == 1:
            return built[0]
        return self.cls(text=self.span(part.start, part.end), kind=Kind.COMPOUND, parts=tuple(built))

    def quantity(self, start: int, end: int, label: str | None, op_node: _Op | None,
                 amount: _Amount, note: _Phrase | None) -> Reading:
        value, unit, notes, postfix = self.amount(amount)
        op = op_node.op if op_node else None
        if postfix is not None:
            if op is not None and op is not postfix.op:
                raise ExpressionError(self.text, postfix.start + 1, ErrorCode.CONFLICTING_COMPARATORS,
                                      f"比较符矛盾：「{op}」与「{self.span(postfix.start, postfix.end)}」"
                                      " / conflicting comparators", "一个比较符")
            op = postfix.op
        if note is not None:
            notes.append(self.words(note))
        return self.cls(text=self.span(start, end), kind=Kind.QUANTITY, op=op, value=value, unit=unit,
                        label=label, note=_joined(notes))

    def amount(self, node: _Amount) -> tuple[Decimal, str, list[str], _Op | None]:
        """(value as written, canonical unit, notes, comparator written after the value)."""
        token = node.number
        if token.type == "CN_NUMBER":
            value = numbers.chinese_numeral(self.token(token))
            if value is None:
                raise ExpressionError(self.text, token.start_pos + 1, ErrorCode.BAD_NUMBER,
                                      f"无法识别的中文数字「{self.token(token)}」 / bad Chinese numeral", "数字")
        else:
            value = numbers.to_decimal(self.token(token))
        if node.sign is not None and self.token(node.sign) in "-−":
            value = -value
        unit, notes, postfix = ("%" if node.percent_of else ""), [], None
        if node.postfix is not None:
            postfix = _Op(_OPS[node.postfix.type], node.postfix.start_pos, node.postfix.end_pos)
        if node.unit is not None:
            unit, rest = self.unit_run(node.unit)
            within = _WITHIN.match(rest)
            if within:       # 48小时内, 3天之内: the unit run ends in 内 (以内 is a comparator word of its own)
                start = node.unit.start_pos + len(self.token(node.unit).rstrip()) - len(rest)
                postfix = postfix or _Op(Op.LE, start, start + within.end())
                rest = rest[within.end():]
            notes.append(rest)
        for paren in node.parens:
            content = self.token(paren)[1:-1].strip()
            if not unit and paren is node.parens[0] and not any(ch.isdigit() for ch in content):
                unit = self.known_unit(content, paren.start_pos + 2)
            else:
                notes.append(content)
        return value, unit, notes, postfix

    def unit_run(self, token: Token) -> tuple[str, str]:
        """A run of unit characters after a number → (canonical unit, the words after it)."""
        if token.type == "PERCENT":
            return "%", ""
        run = self.token(token)
        known, rest = units.split_known(run)
        rest = rest.strip()
        if _unit_like(rest) or (not known and _unit_like(run)):
            bad = run.strip()
            raise UnknownUnitError(self.text, token.start_pos + 1, bad, units.suggestions(bad))
        return units.canonical(known), rest

    def known_unit(self, spelling: str, column: int) -> str:
        canonical = units.canonical(spelling)
        if units.lookup(canonical) is None:
            raise UnknownUnitError(self.text, column, spelling, units.suggestions(canonical))
        return canonical

    # range: words? amount _RANGE_SEP amount phrase?
    def range(self, part: _Part) -> Reading:
        label = next((i for i in part.items if isinstance(i, _Words)), None)
        low_node, high_node = [i for i in part.items if isinstance(i, _Amount)]
        note = next((i for i in part.items if isinstance(i, _Phrase)), None)
        low, low_unit, low_notes, _ = self.amount(low_node)
        high, high_unit, high_notes, _ = self.amount(high_node)
        if low_unit and high_unit and low_unit != high_unit:
            raise ExpressionError(self.text, high_node.start + 1, ErrorCode.RANGE_UNITS,
                                  f"范围两端单位不同：「{low_unit}」与「{high_unit}」 / range units differ",
                                  f"与「{low_unit}」相同的单位")
        if low > high:
            raise ExpressionError(self.text, low_node.start + 1, ErrorCode.RANGE_ORDER,
                                  f"范围下限 {low} 大于上限 {high} / range bounds out of order",
                                  "由小到大的范围")
        return self.cls(text=self.span(part.start, part.end), kind=Kind.RANGE, low=low, high=high,
                        unit=high_unit or low_unit, label=self.words(label),
                        note=_joined([*low_notes, *high_notes, self.words(note)]))

    # relative: words? op phrase
    def relative(self, part: _Part) -> Reading:
        *label, op, reference = part.items
        label = self.words(label[0]) if label else None
        return self.numeral_quantity(reference, op.op, label, part) or self.cls(
            text=self.span(part.start, part.end), kind=Kind.RELATIVE, op=op.op, label=label,
            reference=self.span(reference.start, reference.end))

    # qualitative: phrase
    def qualitative(self, part: _Part) -> Reading:
        (phrase,) = part.items
        return self.numeral_quantity(phrase, None, None, part) or self.cls(
            text=self.span(part.start, part.end), kind=Kind.QUALITATIVE, word=self.span(phrase.start, phrase.end))

    def numeral_quantity(self, phrase: _Phrase, op: Op | None, label: str | None,
                         part: _Part) -> Reading | None:
        """Words that are a Chinese numeral and a known unit (两万人次, 一次) read as a quantity."""
        found = _numeral_and_unit(self.span(phrase.start, phrase.end))
        if found is None:
            return None
        value, unit = found
        return self.cls(text=self.span(part.start, part.end), kind=Kind.QUANTITY, op=op, value=value,
                        unit=unit, label=label)

    # date: words? op? DATE phrase?
    def date(self, part: _Part) -> Reading:
        """A deadline (9月前, 2021年12月完成); a date followed by other words is a comparison with
        something at that date (高于2024年水平) or a phrase."""
        label = op = suffix = token = None
        for item in part.items:
            if isinstance(item, _Op):
                op = item
            elif isinstance(item, Token):
                token = item
            elif token is None:
                label = item
            else:
                suffix = item
        word = self.words(suffix)
        deadline_word = _DEADLINE_WORDS.fullmatch(word or "")
        text = self.span(part.start, part.end)
        if deadline_word is None:
            if op is None:
                return self.cls(text=text, kind=Kind.QUALITATIVE, word=text)
            return self.cls(text=text, kind=Kind.RELATIVE, op=op.op, label=self.words(label),
                            reference=self.span(token.start_pos, part.end))
        written = op.op if op else None
        if written is None and word:
            written = Op.GE if deadline_word.group("after") else Op.LE
        return self.cls(text=text, kind=Kind.DATE, op=written, deadline=self.deadline(token),
                        label=self.words(label), word=word)

    def deadline(self, token: Token) -> Deadline:
        text = re.sub(r"\s+", "", self.token(token))
        iso = re.fullmatch(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})", text)
        if iso:
            year, month, day = (int(g) for g in iso.groups())
        else:
            found = re.fullmatch(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(?:(\d{1,2})[日号])?(.*)", text)
            year, month, day = (None if g is None else int(g) for g in found.groups()[:3])
            month = month if month is not None else {"底": 12, "末": 12, "年底": 12, "年末": 12, "上半年": 6, "下半年": 12}.get(
                found.group(4))
        try:
            return Deadline(year, month, day)
        except ValueError as error:
            raise ExpressionError(self.text, token.start_pos + 1, ErrorCode.BAD_DATE,
                                  f"日期「{self.token(token)}」不成立 / {error}", "有效的年、月、日") from None


def _joined(notes: list[str | None]) -> str | None:
    return " ".join(note for note in notes if note) or None


def _unit_like(text: str) -> bool:
    """Text that can only be meant as a unit: Latin letters or unit operators, no Chinese words."""
    return bool(text) and (text[0] in "/*" or bool(re.fullmatch(r"[A-Za-z/*·^0-9²³µ]+", text)))


@lru_cache(maxsize=4096)
def _numeral_and_unit(words: str) -> tuple[Decimal, str] | None:
    match = re.match(r"[零〇一二两三四五六七八九十百千万亿点]+", words)
    if match is None:
        return None
    for end in range(match.end(), 0, -1):
        value = numbers.chinese_numeral(words[:end])
        rest = units.canonical(words[end:])
        if value is not None and units.lookup(rest) is not None:
            return value, rest
    return None
