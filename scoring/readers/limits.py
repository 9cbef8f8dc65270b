"""The largest inputs the readers accept, each refused past it with its own code (docs/errors.md).
The largest cell an expression may take is the parser's (scoring.parse.MAX_LENGTH, code too_long)."""

FILE_BYTES = 1 << 30          # a JSON file on disk: 1 GiB (about 8 million indicators); past it file_too_large
NESTING = 900                 # JSON objects and arrays within each other that are sure to be read (the format
                              # needs 6); the parser refuses from about 1,000 (Python's recursion limit): too_deep
DUPLICATE_KEYS_BYTES = 64 << 20    # up to 64 MB (any file made by hand) a key given twice is refused; the check
                                  # costs 80% more JSON load time, so the larger files scripts write go unchecked
