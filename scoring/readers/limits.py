"""The largest inputs the readers accept, each refused past it with its own code (docs/errors.md).
The largest cell an expression may take is the parser's (scoring.parse.MAX_LENGTH, code too_long)."""

FILE_BYTES = 1 << 30          # a JSON file on disk: 1 GiB (about 8 million indicators); past it file_too_large
NESTING = 900                 # JSON objects and arrays within each other that are sure to be read (the format
                              # needs 6); the parser refuses from about 1,000 (Python's recursion limit): too_deep
DUPLICATE_KEYS_BYTES = 64 << 20    # a file the standard library decodes (readers/jsondecode.py: NaN, 1e400, not
                                  # UTF-8 …) is checked for a key given twice up to 64 MB, as the check costs it 80%
                                  # more load time; every file the fast decoder reads is checked whatever its size

# Workbooks (readers/workbook.py checks them before openpyxl loads a cell). Measured with
# `python benchmarks/workbook.py --rows N` on the 2-core machine, a flat sheet of 11 columns whose
# targets (=100.00(%)) are saved as formulas, so the formula pass runs: 100,000 rows (61.6 MB of
# sheet XML, 6.6 MB on disk) read in 23–26 s and score to out.json in 22–25 s at a peak of 670–810 MB
# (27 s and 1.2 GB when the book was loaded twice in full); 199,000 rows in 52–63 s and 45–47 s at
# 1.2–1.4 GB (two runs each).
# Packed, the sheets the tests write grow at most 9.4 times unpacked, the most repetitive sheets that
# carry cell references (50,000 rows × 20 columns of one value, one style or one text; 200,000 empty
# rows with a height) 15–28 times; only content without references does more (a run of one byte: 1,029).
UNPACKED_BYTES = 256 << 20    # all members of a workbook unpacked: 256 MiB (a sheet of SHEET_CELLS cells of
                              # inline Chinese text is about 140 MB); past it unpacked_too_large
PACKED_RATIO = 200            # a member over 1 MiB unpacked growing more than this from its packed size; unpacked_too_large
SHEET_ROWS = 200_000          # rows of a sheet, declared and loaded (about a minute and 1.4 GB); past it sheet_too_large
SHEET_CELLS = 2_500_000       # cells of a sheet: its rows × columns, declared and loaded, and the cells (merged
                              # ones too) its XML holds, counted before loading; past it sheet_too_large
