"""Declaration tables (绩效目标申报表) as text → targets.json, with a report of every repair.

The text is what comes out of a PDF or a web page: tab-separated cells, where merged cells leave the
一级/二级指标 out of continuation rows, page breaks repeat a row or split a cell, rows shift a column,
and names are wrapped with spaces. The layout families are data (vocabularies/layouts, layouts.py). Rows are read by
what their cells mean, not where they stand: the last cells are the target values, the cell before
them the 三级指标, and the first- and second-level names are recognised from each layout's
vocabulary, so a shifted or missing level is put back where it belongs. Every repair is listed with
its source line; where the text is truly ambiguous the literal reading is kept and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from scoring.errors import InputError
from scoring.readers.layouts import Layout, layouts
from scoring.readers.sources import decoded, read_bytes

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_WRAP_SPACE = re.compile(rf"(?<=[{_CJK}（）()、“”《》])\s+(?=[{_CJK}（）()、“”《》])")
_DASHES = re.compile(r"^[-\s|:]+$")
_ROW_LABELS = {"绩效", "指标", "绩效指标", "项目绩效目标", "绩效目标"}
_TAGS = re.compile(r"<[^>]+>")
_YEAR = re.compile(r"^\(?(20\d\d)年度\)?$")
_DECLARED_BY = re.compile(r"申报单位名称[:：]\s*(\S+)")
_TITLE = re.compile(r"绩效目标(申报)?表|^\(?20\d\d年度\)?$|^\(20\d\d年度\)")


# Header labels (as written, without colons or spaces) → targets.json keys.
_HEADER = {"项目名称": "name", "项目性质": "nature", "项目类别": "category", "主管部门": "department",
           "实施单位": "unit", "单位名称": "unit", "申报单位名称": "unit", "计划开始日期": "start",
           "计划完成日期": "end", "年度资金申请总额": "budget", "项目当年预算(元)": "budget",
           "项目总预算(元)": "total_budget", "总目标及阶段性目标": "goal"}


@dataclass(frozen=True)
class Repair:
    """One thing the importer had to change or decide, with where it stood."""

    file: str
    line: int
    project: str
    code: str            # level_inferred, level_moved, levels_backfilled, labels_displaced, row_repeated,
                         # cell_joined, row_shifted, cut_off, ambiguous
    message: str

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "project": self.project, "code": self.code,
                "message": self.message}


@dataclass
class _Row:
    line: int
    level1: str | None
    level2: str | None
    name: str
    targets: tuple[str, ...]
    key_work: str | None = None
    project: str | None = None
    explicit: bool = False          # the row wrote a level itself


@dataclass
class _Project:
    start: int
    header: dict = field(default_factory=dict)
    rows: list[_Row] = field(default_factory=list)


def read_text(path: Path) -> tuple[str, int]:
    """The text of a file (readers/sources.py: UTF-8, GBK, UTF-16 with its BOM) with line ends and
    full-width spaces normalised, and how many bytes of a character cut off at its end were dropped."""
    text, cut = decoded(read_bytes(path), str(path))
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " "), cut


def detect(text: str, file: str) -> Layout:
    """The first layout whose markers all appear in ``text`` (vocabularies/layouts)."""
    for layout in layouts():
        if all(marker in text.replace(" ", "") for marker in layout.markers):
            return layout
    raise InputError("不是已知的绩效目标申报表：没有找到「一级指标 … 指标值」表头 / not a declaration table", file)


def import_files(paths: list[Path]) -> tuple[dict, list[Repair]]:
    """Read every project of the files → (targets.json data, repairs)."""
    projects, repairs, rulesets = [], [], []
    for path in paths:
        text, cut = read_text(path)
        found, fixes, layout = import_text(text, str(path), cut)
        projects += found
        repairs += fixes
        rulesets.append(layout.ruleset)
    data: dict = {"projects": projects}
    if len(set(rulesets)) == 1:
        data = {"ruleset": rulesets[0], **data}
    else:
        for project, ruleset in zip(projects, rulesets):
            project.setdefault("ruleset", ruleset)
    return data, repairs


def import_text(text: str, file: str, cut: int = 0) -> tuple[list[dict], list[Repair], Layout]:
    """The projects of one file's text; ``cut`` bytes of a last character were dropped (read_text)."""
    layout = detect(text, file)
    reader = _Reader(layout, file)
    projects = reader.read(text.split("\n"))
    if not projects or not any(p.rows for p in projects):
        raise InputError("没有读到任何指标行（表格不完整？） / no indicator rows found", file)
    if cut:
        reader.repair(text.count("\n") + 1, projects[-1], "cut_off", f"文件在一个字符中间结束（文件被截断？），"
                                                                      f"末尾不完整的 {cut} 个字节已去掉；最后一行可能不完整")
    return [reader.to_json(p, i) for i, p in enumerate(projects)], reader.repairs, layout


def _clean(cell: str) -> str:
    cell = _TAGS.sub(" ", cell).strip()
    return _WRAP_SPACE.sub("", cell)


def _label(cell: str) -> str:
    return re.sub(r"[\s:：]", "", cell).replace("（", "(").replace("）", ")")


class _Reader:
    def __init__(self, layout: Layout, file: str) -> None:
        self.layout = layout
        self.file = file
        self.repairs: list[Repair] = []
        self.level2_of = {l2: l1 for l1, l2s in layout.levels.items() for l2 in l2s}
        self.width = len(layout.value_headers)

    def repair(self, line: int, project: _Project, code: str, message: str) -> None:
        name = project.header.get("name") or project.header.get("unit") or f"第 {project.start} 行起的项目"
        self.repairs.append(Repair(self.file, line, name, code, message))

    # ---- structure ---------------------------------------------------------------------------------

    def read(self, lines: list[str]) -> list[_Project]:
        projects: list[_Project] = []
        current: _Project | None = None
        in_table, gap = False, False
        pending_goal, preamble = False, {}
        for number, raw in enumerate(lines, 1):
            cells = [_clean(c) for c in raw.split("\t")]
            present = [c for c in cells if c]
            labels = [_label(c) for c in present]
            if not present or _DASHES.match(raw):
                gap = gap or in_table
                continue
            declared = _DECLARED_BY.search(" ".join(present))
            if declared:
                preamble["unit"] = declared.group(1)
            stated_year = _YEAR.search("".join(labels))
            if stated_year:
                preamble["year"] = stated_year.group(1)
            if _TITLE.search(" ".join(labels)):
                in_table = False
                continue
            if self._starts_project(labels):
                current = _Project(number, dict(preamble))
                projects.append(current)
                in_table, gap = False, False
            if current is None:
                if self.layout.kind == "department" and any(self.layout.value_headers[0] in l for l in labels):
                    current = _Project(number, dict(preamble))
                    projects.append(current)
                else:
                    continue
            if self._is_table_header(labels):
                in_table = True
                continue
            if in_table:
                self._table_line(current, number, cells, present, gap)
                gap = False
                continue
            pending_goal = self._header_line(current, present, labels, pending_goal)
        return projects

    def _starts_project(self, labels: list[str]) -> bool:
        return bool(labels) and labels[0] == _label(self.layout.project_label)

    def _is_table_header(self, labels: list[str]) -> bool:
        return any(l in ("一级指标", "一级目标") for l in labels) and any(
            l in self.layout.value_headers or l in ("三级指标", "三级目标") for l in labels)

    def _header_line(self, project: _Project, present: list[str], labels: list[str], pending_goal: bool) -> bool:
        if pending_goal and len(present) == 1 and "goal" not in project.header:
            project.header["goal"] = present[0]
            return False
        for index, label in enumerate(labels):
            key = _HEADER.get(label)
            if label == "年度总体目标" or label == "年度目标":
                return True
            if key is None or index + 1 >= len(present):
                continue
            value = present[index + 1]
            if _HEADER.get(_label(value)) is not None:
                continue
            if key == "budget" or key == "total_budget":
                number = _amount(value)
                if number is not None:
                    project.header.setdefault(key, number)
            elif key == "goal":
                project.header.setdefault(key, value)
            else:
                project.header.setdefault(key, value if key not in ("name", "unit", "department") else
                                          re.sub(r"\s+", "", value))
        if self.layout.kind == "department" and labels and labels[0] == "资金总额" and len(present) >= 2:
            amounts = [a for a in (_amount(c) for c in present[1:]) if a is not None]
            if len(amounts) == 1:
                project.header.setdefault("budget", amounts[0])
            elif len(amounts) >= 2:
                project.header["half_year"], project.header["budget"] = amounts[0], amounts[-1]
        return pending_goal

    # ---- indicator rows -----------------------------------------------------------------------------

    def _table_line(self, project: _Project, number: int, cells: list[str], present: list[str], gap: bool) -> None:
        if len(present) == 1:
            self._fragment(project, number, present[0])
            return
        if len(present) <= self.width:
            self.repair(number, project, "ambiguous", f"只有 {len(present)} 个单元格，不是完整的指标行，已忽略："
                                                      f"{' | '.join(present)}")
            return
        indexed = [(column, cell) for column, cell in enumerate(cells) if cell]
        targets = tuple(cell for _, cell in indexed[-self.width:])
        before = indexed[:-self.width]
        name = before[-1][1]
        rest = before[:-1]
        if any(_label(cell) in self.layout.levels or _label(cell) in self.level2_of for cell in (name, *targets)):
            self.repair(number, project, "ambiguous", f"只有一、二级指标，没有三级指标和指标值，已忽略："
                                                      f"{' | '.join(present)}")
            return
        while rest and _label(rest[0][1]) in _ROW_LABELS:
            if gap:
                self._join(project, number, _label(rest[0][1]))
            rest = rest[1:]
        key_work = work_project = None
        known = []
        for column, cell in rest:
            label = _label(cell)
            kind = "1" if label in self.layout.levels else "2" if label in self.level2_of else "?"
            known.append((kind, label, (column, cell)))
        level1, level2, extra = self._levels(project, number, known)
        if self.layout.work_columns:
            key_work, work_project = self._work_cells(project, number, name, extra)
        elif extra:
            level2 = level2 or extra[-1][1]
            if len(extra) > 1 or level2 != extra[-1][1]:
                self.repair(number, project, "ambiguous",
                            f"多余的单元格按字面保留为二级指标：{' | '.join(cell for _, cell in extra)}")
        row = _Row(number, level1, level2, name, targets, key_work, work_project, explicit=bool(level1 or level2))
        previous = project.rows[-1] if project.rows else None
        if (previous is not None and (previous.name, previous.targets, previous.key_work, previous.project)
                == (row.name, row.targets, row.key_work, row.project)
                and row.level1 in (None, previous.level1) and row.level2 in (None, previous.level2)):
            if gap:
                self.repair(number, project, "row_repeated", f"分页处重复的行「{name}」已去掉（与第 {previous.line} 行相同）")
                return
            self.repair(number, project, "ambiguous", f"「{name}」与第 {previous.line} 行相同，但不在分页处，按字面保留")
        project.rows.append(row)

    def _levels(self, project: _Project, number: int, known: list[tuple[str, str, str]]):
        """The row's own levels: the 二级 nearest the name wins; labels of another family are displaced."""
        ones = [label for kind, label, _ in known if kind == "1"]
        twos = [label for kind, label, _ in known if kind == "2"]
        extra = [cell for kind, _, cell in known if kind == "?"]
        level2 = twos[-1] if twos else None
        level1 = ones[-1] if ones else None
        if level2 is not None and level1 is not None and self.level2_of[level2] != level1:
            owner = self.level2_of[level2]
            displaced = [l for l in (*ones, *twos[:-1]) if self.level2_of.get(l, l) != owner]
            self.repair(number, project, "labels_displaced",
                        f"「{level1}」与二级指标「{level2}」不属同一一级指标；按二级指标改为「{owner}」，"
                        f"错位的标签 {'、'.join(displaced)} 留给后面的行")
            project.header.setdefault("_displaced", []).append((number, displaced))
            level1 = owner
        elif len(twos) > 1:
            self.repair(number, project, "labels_displaced", f"一行有两个二级指标 {'、'.join(twos)}，取靠近三级指标的「{level2}」")
            project.header.setdefault("_displaced", []).append((number, twos[:-1]))
        return level1, level2, extra

    def _work_cells(self, project: _Project, number: int, name: str, extra: list[tuple[int, str]]):
        """重点工作 / 对应项目 by column, shifted rows read literally and reported."""
        key_work = work_project = None
        for column, cell in extra:
            if column == 3 and work_project is None:
                work_project = cell
            elif key_work is None:
                key_work = cell
                if column not in (2,):
                    self.repair(number, project, "row_shifted", f"「{cell}」不在重点工作一列（第 {column + 1} 列），"
                                                                f"按重点工作读取；三级指标为「{name}」")
            else:
                work_project = cell
        return key_work, work_project

    def _fragment(self, project: _Project, number: int, fragment: str) -> None:
        """A lone cell: the end of a name split by a page break (社会效益 / 指标), or a row label."""
        if not self._join(project, number, fragment) and fragment not in _ROW_LABELS:
            self.repair(number, project, "ambiguous", f"单独的单元格「{fragment}」无法归属，已忽略")

    def _join(self, project: _Project, number: int, fragment: str) -> bool:
        """Join ``fragment`` to the level it completes in the row above (社会效益 + 指标); True if it did."""
        if not project.rows:
            return False
        last = project.rows[-1]
        for attr in ("level2", "level1"):
            value = getattr(last, attr)
            if value and (value + fragment in self.level2_of or value + fragment in self.layout.levels):
                setattr(last, attr, value + fragment)
                self.repair(number, project, "cell_joined", f"分页拆开的单元格「{value}」+「{fragment}」合为「{value + fragment}」")
                return True
        return False

    # ---- levels and output --------------------------------------------------------------------------

    def _complete(self, project: _Project) -> None:
        """Fill levels the rows left out: from the row above, from what a 二级指标 belongs to, and the
        first rows of a table from the first labels below them."""
        rows = project.rows
        first = next((i for i, r in enumerate(rows) if r.level1 or r.level2), None)
        if first:
            source = rows[first]
            for row in rows[:first]:
                row.level1, row.level2 = source.level1 or self.level2_of.get(source.level2), source.level2
            self.repair(rows[0].line, project, "levels_backfilled",
                        f"表首 {first} 行没有一、二级指标，取其下第 {source.line} 行的「{source.level1 or ''}"
                        f"/{source.level2 or ''}」")
        previous = None
        for row in rows:
            if previous is not None:
                if row.level1 is None and row.level2 is not None and row.level2 in self.level2_of:
                    owner = self.level2_of[row.level2]
                    row.level1 = owner
                    if owner != previous.level1:
                        self.repair(row.line, project, "level_inferred",
                                    f"一级指标空缺，按二级指标「{row.level2}」补为「{owner}」")
                elif row.level1 is None:
                    row.level1 = previous.level1
                    if row.level2 is None:
                        row.level2 = previous.level2
                elif row.level2 is None and row.level1 == previous.level1:
                    row.level2 = previous.level2
            elif row.level1 is None and row.level2 in self.level2_of:
                row.level1 = self.level2_of[row.level2]
            if row.key_work is None and row.project is None and previous is not None and not row.explicit:
                row.key_work, row.project = previous.key_work, previous.project
            previous = row
        self._displaced(project)

    def _displaced(self, project: _Project) -> None:
        """Labels pushed up by a vertically centred merged cell belong to the last rows of the table."""
        for line, labels in project.header.pop("_displaced", []):
            ones = [l for l in labels if l in self.layout.levels]
            twos = [l for l in labels if l in self.level2_of]
            level1 = ones[-1] if ones else (self.level2_of[twos[-1]] if twos else None)
            if level1 is None:
                continue
            later = [r for r in project.rows if r.line > line]
            last = project.rows[-1]
            if later and not any(r.level1 == level1 for r in later) and not last.explicit:
                last.level1, last.level2 = level1, (twos[-1] if twos else last.level2)
                self.repair(last.line, project, "levels_moved",
                            f"第 {line} 行错位的「{'/'.join(labels)}」归到表末的「{last.name}」（字面上它没有一、二级指标）")

    def to_json(self, project: _Project, index: int) -> dict:
        self._complete(project)
        header = project.header
        out: dict = {"id": f"{Path(self.file).stem}-{index + 1:02d}", "name": header.get("name")}
        if self.layout.kind == "department":
            out["name"] = out["name"] or header.get("unit")
        out["kind"] = self.layout.kind
        for key in ("unit", "department", "nature", "category", "start", "end", "goal"):
            if header.get(key):
                out[key] = header[key]
        budget_unit = "万元" if self.layout.kind == "department" else "元"
        if "budget" in header:
            out["budget"] = {"initial": header["budget"], "adjusted": header["budget"], "unit": budget_unit}
            if "half_year" in header:
                out["budget"]["half_year"] = header["half_year"]
        year = re.search(r"(20\d\d)", str(header.get("start") or header.get("year") or ""))
        if year:
            out["year"] = int(year.group(1))
        indicators = []
        for number, row in enumerate(project.rows, 1):
            item: dict = {"id": str(number), "level1": row.level1 or "", "level2": row.level2 or "",
                          "name": row.name}
            if self.width == 2:
                item["half_year_target"], item["target"] = row.targets
            else:
                item["target"] = row.targets[0]
            if row.key_work:
                item["key_work"] = row.key_work
            if row.project:
                item["project"] = row.project
            item["source"] = {"file": self.file, "line": row.line}
            indicators.append(item)
            if not row.level1:
                self.repair(row.line, project, "ambiguous", f"「{row.name}」没有一级指标")
        out["indicators"] = indicators
        out["source"] = {"file": self.file, "line": project.start, "layout": self.layout.name}
        return out


def _amount(text: str) -> float | None:
    cleaned = text.replace(",", "").replace("，", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        return None
