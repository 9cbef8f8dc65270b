"""Text a spreadsheet would take for a formula (CSV injection): a cell that starts with one of
``FORMULA_START`` (``=100.00(%)``, ``+1``, ``-3%``, ``@x``, a tab or a carriage return)."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)
