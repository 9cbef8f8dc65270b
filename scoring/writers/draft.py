"""The 绩效自评报告 draft (``--format md`` / ``docx``): per project, the standard sections (基本情况,
绩效目标完成情况, 得分情况, 偏差原因, 改进措施, 其他需要说明的问题) filled from the data, with the score
tables. What only a person can write is marked 【待填写：…】, never invented.

``blocks(report)`` builds the document as plain blocks; ``to_markdown`` renders them here and
writers/draft_docx.py as a Word file, so both say the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scoring.codes import Flag, Status
from scoring.report import ScoreReport
from scoring.scores import IndicatorScore, ProjectScore

TODO = "【待填写：{}】"


@dataclass(frozen=True)
class Heading:
    level: int          # 1 the project's title, 2 a section, 3 a part of it
    text: str


@dataclass(frozen=True)
class Paragraph:
    pieces: tuple[tuple[str, bool], ...]        # (text, whether a person must write it)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class PageBreak:
    pass


def blocks(report: ScoreReport) -> list:
    """The draft of every project, each after a page break but the first."""
    out: list = []
    for k, (project, about) in enumerate(zip(report.project_scores(), report.about().to_dict("records"))):
        if k:
            out.append(PageBreak())
        out += _project(project, about, report)
    return out


def _text(*pieces: str | tuple[str, bool]) -> Paragraph:
    return Paragraph(tuple(p if isinstance(p, tuple) else (p, False) for p in pieces))


def _todo(what: str) -> tuple[str, bool]:
    return TODO.format(what), True


def _given(value, what: str) -> str | tuple[str, bool]:
    return value if isinstance(value, str) and value else _todo(what)


def _amount(value: float | None, unit: str) -> str:
    return "未填写" if value is None else f"{value:,.2f} {unit}"


def _project(project: ProjectScore, about: dict, report: ScoreReport) -> list:
    name = project.name or project.id or "项目"
    year = about["year"]
    year_text = str(int(year)) if isinstance(year, (int, float)) and year == year else None
    ruleset = report.ruleset
    budget = project.budget
    indicators = project.indicators
    lost = [i for i in indicators if i.lost]
    out = [Heading(1, f"{year_text + '年度' if year_text else ''}{name}绩效自评报告（草稿）"),
           _text(f"本草稿由评分引擎按「{ruleset.title}」（{ruleset.name}）生成：数字与计分依据取自填报的指标值和实际完成值；"
                 "标有", _todo("…"), "之处须由项目单位撰写，定稿前删去本段。"),
           Heading(2, "一、基本情况"), Heading(3, "（一）项目概况"),
           Table(("项目", "内容"), tuple((label, value if isinstance(value, str) else TODO.format(label)) for label, value in (
               ("项目名称", project.name), ("项目编号", project.id), ("主管部门", about["department"]),
               ("实施单位", about["unit"]), ("年度", year_text)))),
           _text(_todo("项目立项依据、主要内容和实施情况")),
           Heading(3, "（二）项目资金"),
           _text(f"年初预算数 {_amount(budget.initial, budget.unit)}，全年预算数 {_amount(budget.adjusted, budget.unit)}，"
                 f"全年执行数 {_amount(budget.executed, budget.unit)}"
                 + (f"，预算执行率 {budget.rate:.2%}。" if budget.rate is not None else "。")),
           _text(_todo("资金来源、使用和管理情况")),
           Heading(3, "（三）绩效目标"), _text("年度总体目标：", _given(about["goal"], "年度总体目标（预期目标）")),
           Heading(2, "二、绩效目标完成情况"), Heading(3, "（一）总体目标完成情况"),
           _text(_given(about["achieved"], "年度总体目标的实际完成情况")),
           Heading(3, "（二）绩效指标完成情况"), _text(_counts(indicators)),
           Table(("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "完成情况"),
                 tuple((i.level1, i.level2, i.name, i.target or "", i.actual or "", _met(i)) for i in indicators)),
           Heading(2, "三、得分情况"), _text(_scored(project, ruleset.name)),
           Table(("项目", "分值", "得分"),
                 (("预算执行率", f"{budget.weight:.2f}", f"{budget.score:.2f}"),
                  *((level.name, f"{level.weight:.2f}", f"{level.score:.2f}") for level in project.levels),
                  ("总分", "100.00", f"{project.total:.2f}"))),
           Table(("一级指标", "二级指标", "三级指标", "分值", "得分", "计分依据"),
                 tuple((i.level1, i.level2, i.name, f"{i.weight:.2f}", "不适用" if i.score is None else f"{i.score:.2f}",
                        i.explanation) for i in indicators)),
           Heading(2, "四、偏差原因")]
    if not lost:
        out.append(_text("各项指标均达到年度指标值，得分没有扣减。"))
    for n, i in enumerate(lost, 1):
        out.append(_text(f"{n}. {i.name}（扣 {i.lost:.2f} 分）：{i.explanation}。偏差原因：",
                         _given(i.reason, f"{i.name}未达到年度指标值的原因")))
    out.append(Heading(2, "五、改进措施"))
    if lost:
        out.append(_text("需说明改进措施的指标：" + "、".join(i.name for i in lost) + "。"))
    out.append(_text(_todo("针对上述偏差的改进措施、下一步工作计划和自评结果的应用")))
    out += [Heading(2, "六、其他需要说明的问题"), *_remarks(project), _text(_todo("其他需要说明的问题（没有则删去）"))]
    return out


def _met(indicator: IndicatorScore) -> str:
    if indicator.status == Status.NOT_APPLICABLE:
        return "不适用"
    if indicator.status != Status.SCORED:
        return Status(indicator.status).label
    return "未完全达到" if indicator.lost else "达到"


def _counts(indicators: tuple[IndicatorScore, ...]) -> str:
    met = [_met(i) for i in indicators]
    counted = {word: met.count(word) for word in dict.fromkeys(met)}
    return f"共 {len(indicators)} 个三级指标：" + "，".join(f"{word} {n} 个" for word, n in counted.items()) + "。"


def _scored(project: ProjectScore, ruleset: str) -> str:
    text = (f"按规则集 {ruleset} 评分，自评总分 {project.total:.2f} 分，等级为「{project.grade}」。其中预算执行率 "
            f"{project.budget.score:.2f} 分（满分 {project.budget.weight:.2f} 分），"
            f"绩效指标 {project.points:.2f} 分（满分 {project.points_max:.2f} 分）。")
    if project.points_max < 100:
        text += "部分指标不适用，指标得分已按适用指标的分值折算为百分制。"
    return text


def _remarks(project: ProjectScore) -> list[Paragraph]:
    """Each flag (with the explanation it asks for) and each issue, numbered."""
    lines = [(f"{i.name}：{Flag(f).label}。", _todo("说明")) for i in project.indicators for f in i.flags]
    lines += [(f"{i.name}：{issue.message.splitlines()[0]}",) for i in project.indicators for issue in i.issues]
    lines += [(issue.message.splitlines()[0],) for issue in project.issues]
    return [_text(f"{n}. {line[0]}", *line[1:]) for n, line in enumerate(lines, 1)]


_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#~])")


def _md(text: str) -> str:
    """Inline text with Markdown's marks escaped (a name such as ``*`` or ``<b>`` shows as written)."""
    return _MARKDOWN.sub(r"\\\1", text).replace("\n", "<br>")


def to_markdown(report: ScoreReport) -> str:
    lines = []
    for block in blocks(report):
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + _md(block.text), ""]
        elif isinstance(block, Paragraph):
            lines += ["".join(f"**{_md(text)}**" if todo else _md(text) for text, todo in block.pieces), ""]
        elif isinstance(block, Table):
            lines += ["| " + " | ".join(map(_md, block.header)) + " |", "|" + "---|" * len(block.header)]
            lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in block.rows]
            lines.append("")
        else:
            lines += ["---", ""]
    return "\n".join(lines)


def write_markdown(report: ScoreReport, out) -> None:
    out.write(to_markdown(report))
