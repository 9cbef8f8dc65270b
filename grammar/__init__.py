"""Data package: the expression grammar (expression.lark) and the unit definitions (units.txt).

Installed as ``scoring.grammar`` and read through ``importlib.resources``; it holds no code.
"""
