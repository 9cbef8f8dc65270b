"""The largest inputs the readers accept, each refused past it with its own code (docs/errors.md).
The largest cell an expression may take is the parser's (scoring.parse.MAX_LENGTH, code too_long)."""

FILE_BYTES = 1 << 30          # a JSON file on disk: 1 GiB (about 8 million indicators); past it file_too_large
NESTING = 900                 # JSON objects and arrays within each other (the format needs 6); past it too_deep
