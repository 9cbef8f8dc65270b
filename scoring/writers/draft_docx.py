"""The 绩效自评报告 draft as a Word file (``--format docx``), from the blocks of writers/draft.py:
python-docx does the file format. Headings and body in 宋体 / 黑体, tables gridded, what a person must
write highlighted in yellow, each project from a new page."""

from __future__ import annotations

from pathlib import Path

from scoring.errors import ScoringError
from scoring.report import ScoreReport
from scoring.writers.draft import Heading, PageBreak, Paragraph, Table, blocks
from scoring.writers.files import write_whole

BODY, TITLE = "宋体", "黑体"


def write_docx(report: ScoreReport, path: Path) -> None:
    try:
        import docx
        from docx.enum.text import WD_COLOR_INDEX
        from docx.oxml.ns import qn
        from docx.shared import Pt
    except ImportError:
        raise ScoringError("写 Word 文件需要 python-docx：pip install 'scoring[docx]' / the docx format needs "
                           "python-docx") from None

    def font(style_or_run, name: str, size: float | None = None) -> None:
        style_or_run.font.name = name
        if size:
            style_or_run.font.size = Pt(size)
        element = style_or_run.element if hasattr(style_or_run, "element") else style_or_run._element
        properties = element.get_or_add_rPr()
        properties.get_or_add_rFonts().set(qn("w:eastAsia"), name)

    document = docx.Document()
    font(document.styles["Normal"], BODY, 12)
    for level, size in ((1, 18), (2, 15), (3, 13)):
        font(document.styles[f"Heading {level}"], TITLE, size)
    for block in blocks(report):
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            for text, todo in block.pieces:
                run = paragraph.add_run(text)
                if todo:
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        elif isinstance(block, Table):
            table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))
            table.style = "Table Grid"
            for r, row in enumerate((block.header, *block.rows)):
                for c, text in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = text
                    run = cell.paragraphs[0].runs[0] if cell.paragraphs[0].runs else None
                    if run is not None:
                        font(run, TITLE if r == 0 else BODY, 10.5)
                        if text.startswith("【待填写"):
                            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            document.add_paragraph()
        elif isinstance(block, PageBreak):
            document.add_page_break()
    write_whole(path, document.save)
