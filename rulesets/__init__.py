"""Data package: the scoring rulesets (*.toml). Installed as ``scoring.rulesets_data``; it holds no code."""
