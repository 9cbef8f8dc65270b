"""Traditional characters → simplified (vocabularies/traditional.toml), for comparing what tables print
in either script: headers (一級指標), 一级指标 names (產出指標) and units (萬元, 個)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources


@cache
def table() -> dict[int, str]:
    """The str.translate table of every traditional character the vocabulary knows."""
    text = resources.files("scoring.vocabularies_data").joinpath("traditional.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    traditional, simplified = ("".join(data[key].split()) for key in ("traditional", "simplified"))
    if len(traditional) != len(simplified) or len(set(traditional)) != len(traditional):
        raise ValueError("vocabularies/traditional.toml: the two strings must pair character for character")
    return str.maketrans(traditional, simplified)


def simplified(text: str) -> str:
    """``text`` with its traditional characters in simplified form."""
    return text.translate(table())
