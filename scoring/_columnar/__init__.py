"""Private columnar machinery (gc pausing, factorizing, text pieces, templated texts); see README.md."""
