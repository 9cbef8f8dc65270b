"""The grammar itself: conflict-free under strict checks, loaded once, comparator words kept whole."""

import re

from scoring.parse import parser


def test_grammar_builds_with_strict_checks():
    strict = parser(strict=True)   # raises on shift/reduce conflicts and terminal collisions
    assert strict.options.parser == "lalr"


def test_parser_is_built_once_per_process():
    assert parser() is parser()


def test_every_comparator_word_ends_a_run_of_words():
    terminals = {t.name: t for t in parser().terminals}
    text = re.compile(terminals["TEXT"].pattern.to_regexp())
    for name in ("GE_WORD", "LE_WORD", "GT_WORD", "LT_WORD", "GE_AFTER", "LE_AFTER"):
        words = re.findall(r"[\u4e00-\u9fff]+", terminals[name].pattern.to_regexp())
        assert words, name
        for word in words:
            assert text.match(f"献血率{word}").group() == "献血率", (name, word)
