"""The meaning of a parse: the nodes of syntax.py → readings (model.py), with numbers (numbers.py),
units (units.py), labels, notes, comparators written after the value, deadlines and parts."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources

from scoring import numbers, units
from scoring.errors import ErrorCode, ExpressionError, UnknownUnitError
from scoring.model import Deadline, Kind, Op, Reading
from scoring.parse.syntax import OPS, Amount, OpNode, Part, Phrase, Token, Words


def out_of_range(text: str, start: int) -> ExpressionError:
    """The error of a number with more digits than are kept exactly (numbers.SIGNIFICANT)."""
    return ExpressionError(text, start + 1, ErrorCode.NUMBER_OUT_OF_RANGE,
                           f"数字超过 {numbers.SIGNIFICANT} 位有效数字或超出范围，无法精确保留 / number out of range",
                           f"至多 {numbers.SIGNIFICANT} 位有效数字")


_LABEL_TRIM = " :：\t"
_WITHIN = re.compile(r"之?内")


@cache
def _words() -> dict:
    return tomllib.loads(resources.files("scoring.grammar").joinpath("words.toml").read_text(encoding="utf-8"))


def _either(names: list[str]) -> str:
    return "|".join(map(re.escape, sorted(names, key=len, reverse=True)))


@cache
def _approximately() -> re.Pattern:
    """An "about" word between a number and its unit (200余人, 3个多月; grammar/words.toml)."""
    return re.compile(_either(_words()["approximately"]["between"]))


@cache
def _deadline_words() -> re.Pattern:
    """What may follow a date for it to be a deadline (grammar/words.toml): a side, then an event."""
    deadline = _words()["deadline"]
    return re.compile(rf"(?:(?P<before>{_either(deadline['before'])})|(?P<after>{_either(deadline['after'])}))?"
                      rf"(?:{_either(deadline['events'])})?")


def built(text: str, cls: type[Reading], parts: tuple[Part, ...]) -> Reading:
    """The reading of ``text``, whose syntax is ``parts``."""
    readings = tuple(Builder(text, cls).part(part) for part in parts)
    if len(readings) == 1:
        return whole(readings[0], text, cls)
    return cls(text=text, kind=Kind.COMPOUND, parts=readings)


def whole(reading: Reading, text: str, cls: type[Reading]) -> Reading:
    """The reading of a one-part cell carries the whole cell's text."""
    if reading.text == text:
        return reading
    fields = {name: getattr(reading, name) for name in reading.__dataclass_fields__}
    return cls(**{**fields, "text": text})



class Builder:
    """Internal nodes of one expression → readings."""

    def __init__(self, text: str, cls: type[Reading]) -> None:
        self.text = text
        self.cls = cls

    def span(self, start: int, end: int) -> str:
        return self.text[start:end].strip()

    def token(self, token: Token) -> str:
        """A token's text as written (the parse saw only the expression's shape)."""
        return self.text[token.start_pos:token.end_pos]

    def words(self, node: Words | Phrase | None) -> str | None:
        return None if node is None else self.text[node.start:node.end].strip(_LABEL_TRIM) or None

    def part(self, part: Part) -> Reading:
        return getattr(self, part.rule)(part)

    # chain: words? (op words?)? amount (words? op? amount)* phrase?
    def chain(self, part: Part) -> Reading:
        pieces, label, op, start, note = [], None, None, None, None
        for item in part.items:
            if isinstance(item, Words):
                label, start = item, (item.start if start is None else start)   # 至少全年完成2次: after op
            elif isinstance(item, OpNode):
                op, start = item, (item.start if start is None else start)
            elif isinstance(item, Amount):
                pieces.append((item.start if start is None else start, item, label, op))
                label, op, start = None, None, None
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

    def quantity(self, start: int, end: int, label: str | None, op_node: OpNode | None,
                 amount: Amount, note: Phrase | None) -> Reading:
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

    def amount(self, node: Amount) -> tuple[Decimal, str, list[str], OpNode | None]:
        """(value as written, canonical unit, notes, comparator written after the value)."""
        token = node.number
        if token.type == "CN_NUMBER":
            value = numbers.chinese_numeral(self.token(token))
            if value is None:
                raise ExpressionError(self.text, token.start_pos + 1, ErrorCode.BAD_NUMBER,
                                      f"无法识别的中文数字「{self.token(token)}」 / bad Chinese numeral", "数字")
        else:
            value = numbers.to_decimal(self.token(token))
        if not numbers.in_range(value):               # 九九九… digit by digit is as long as written
            raise out_of_range(self.text, token.start_pos)
        if node.sign is not None and self.token(node.sign) in "-−":
            value = -value
        unit, notes, postfix = ("%" if node.percent_of else ""), [], None
        if node.postfix is not None:
            postfix = OpNode(OPS[node.postfix.type], node.postfix.start_pos, node.postfix.end_pos)
        if node.unit is not None:
            unit, rest = self.unit_run(node.unit)
            within = _WITHIN.match(rest)
            if within:       # 48小时内, 3天之内: the unit run ends in 内 (以内 is a comparator word of its own)
                start = node.unit.start_pos + len(self.token(node.unit).rstrip()) - len(rest)
                postfix = postfix or OpNode(Op.LE, start, start + within.end())
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
        about = _approximately().match(rest)
        if about:                     # 200余人, 1.5万余人: the unit stands after the word
            closer, after = units.split_known(known + rest[about.end():])
            if len(closer) > len(known):
                known, rest = closer, f"{about.group()} {after}"
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
    def range(self, part: Part) -> Reading:
        label = next((i for i in part.items if isinstance(i, Words)), None)
        low_node, high_node = [i for i in part.items if isinstance(i, Amount)]
        note = next((i for i in part.items if isinstance(i, Phrase)), None)
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
        unit = high_unit or low_unit
        if unit == "月" and 1 <= low < high <= 12 and low == int(low) and high == int(high):
            # 1-12月: the months of a year, done by the last of them (a duration is 3-6个月)
            return self.cls(text=self.span(part.start, part.end), kind=Kind.DATE, op=Op.LE,
                            deadline=Deadline(None, int(high), None), label=self.words(label),
                            word=_joined([*low_notes, *high_notes, self.words(note)]))
        return self.cls(text=self.span(part.start, part.end), kind=Kind.RANGE, low=low, high=high,
                        unit=unit, label=self.words(label),
                        note=_joined([*low_notes, *high_notes, self.words(note)]))

    # tolerance: words? ± amount phrase?
    def tolerance(self, part: Part) -> Reading:
        label = next((i for i in part.items if isinstance(i, Words)), None)
        amount = next(i for i in part.items if isinstance(i, Amount))
        note = next((i for i in part.items if isinstance(i, Phrase)), None)
        value, unit, notes, _ = self.amount(amount)
        return self.cls(text=self.span(part.start, part.end), kind=Kind.RANGE, low=-abs(value), high=abs(value),
                        unit=unit, label=self.words(label), note=_joined([*notes, self.words(note)]))

    # relative: words? op phrase
    def relative(self, part: Part) -> Reading:
        *label, op, reference = part.items
        label = self.words(label[0]) if label else None
        return self.numeral_quantity(reference, op.op, label, part) or self.cls(
            text=self.span(part.start, part.end), kind=Kind.RELATIVE, op=op.op, label=label,
            reference=self.span(reference.start, reference.end))

    # qualitative: phrase
    def qualitative(self, part: Part) -> Reading:
        (phrase,) = part.items
        return self.numeral_quantity(phrase, None, None, part) or self.cls(
            text=self.span(part.start, part.end), kind=Kind.QUALITATIVE, word=self.span(phrase.start, phrase.end))

    def numeral_quantity(self, phrase: Phrase, op: Op | None, label: str | None,
                         part: Part) -> Reading | None:
        """Words that are a Chinese numeral and a known unit (两万人次, 一次) read as a quantity."""
        found = _numeral_and_unit(self.span(phrase.start, phrase.end))
        if found is None:
            return None
        value, unit = found
        return self.cls(text=self.span(part.start, part.end), kind=Kind.QUANTITY, op=op, value=value,
                        unit=unit, label=label)

    # date: words? op? DATE phrase?
    def date(self, part: Part) -> Reading:
        """A deadline (9月前, 2021年12月完成); a date followed by other words is a comparison with
        something at that date (高于2024年水平) or a phrase."""
        label = op = suffix = token = None
        for item in part.items:
            if isinstance(item, OpNode):
                op = item
            elif isinstance(item, Token):
                token = item
            elif token is None:
                label = item
            else:
                suffix = item
        word = self.words(suffix)
        deadline_word = _deadline_words().fullmatch(word or "")
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


_UNIT_NUMERALS = 3          # numeral characters a unit can begin with (万元, 千克, 百分点): the ends tried


@lru_cache(maxsize=4096)
def _numeral_and_unit(words: str) -> tuple[Decimal, str] | None:
    match = re.match(r"[零〇一二两三四五六七八九十百千万亿点]+", words)
    if match is None:
        return None
    for end in range(match.end(), max(match.end() - _UNIT_NUMERALS, 0), -1):   # a unit may open with 万, 千, 百分
        value = numbers.chinese_numeral(words[:end])
        rest = units.canonical(words[end:])
        if value is not None and numbers.in_range(value) and units.lookup(rest) is not None:
            return value, rest
    return None
