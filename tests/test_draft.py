"""The 绩效自评报告 draft: the standard sections filled from the data, what a person must write marked and
never invented, in Markdown and in Word."""

import json
import re

import docx
import pytest

from conftest import ROOT
from scoring import score
from scoring.cli import main
from scoring.writers.draft import to_markdown

EXAMPLE = ROOT / "examples" / "shanghai-2026"
SECTIONS = ["一、基本情况", "二、绩效目标完成情况", "三、得分情况", "四、偏差原因", "五、改进措施", "六、其他需要说明的问题"]


def example(tmp_path=None, **project):
    actuals = EXAMPLE / "actuals.json"
    if project:
        data = json.loads(actuals.read_text(encoding="utf-8"))
        data["projects"][0].update(project)
        actuals = tmp_path / "actuals.json"
        actuals.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return score(EXAMPLE / "targets.json", actuals)


def sections(markdown: str) -> list[str]:
    return re.findall(r"^## (.+)$", markdown, re.M)


def test_the_standard_sections_in_order():
    draft = to_markdown(example())
    assert draft.startswith("# 2026年度信息化建设项目绩效自评报告（草稿）\n")
    assert sections(draft) == SECTIONS


def test_facts_come_from_the_data():
    draft = to_markdown(example())
    assert "| 实施单位 | 上海市血液管理办公室 |" in draft
    assert "全年执行数 1,650,000.00 元，预算执行率 94.61%。" in draft
    assert "年度总体目标：上海市临床用血一体化管理系统完成改造" in draft
    assert "共 23 个三级指标：达到 21 个，未完全达到 2 个。" in draft
    assert "自评总分 99.02 分，等级为「优」" in draft and "| 效益指标 | 30.00 | 29.56 |" in draft
    assert ("1. 用血信息查询平均用时（扣 0.42 分）：实际 6分钟 \\> 目标 ≤5.00(分钟)：2.50 × 5 / 6 = 2.08 分。"
            "偏差原因：系统改造切换期间新旧库并行") in draft
    assert "需说明改进措施的指标：用血信息查询平均用时、用血信息查询成功率。" in draft
    assert "1. 跨部门数据共享程度：超额完成，需说明原因。**【待填写：说明】**" in draft


def test_what_a_person_must_write_is_marked_not_invented(tmp_path):
    draft = to_markdown(example())
    marked = re.findall(r"【待填写：([^】]+)】", draft)
    assert "年度总体目标的实际完成情况" in marked          # the example gives no 实际完成情况
    assert "项目立项依据、主要内容和实施情况" in marked and "针对上述偏差的改进措施、下一步工作计划和自评结果的应用" in marked
    achieved = to_markdown(example(tmp_path, 实际完成情况="系统完成改造并稳定运行。"))
    assert "系统完成改造并稳定运行。" in achieved and "年度总体目标的实际完成情况" not in achieved


def test_a_missing_reason_is_asked_for(tmp_path):
    data = json.loads((EXAMPLE / "actuals.json").read_text(encoding="utf-8"))
    for indicator in data["projects"][0]["indicators"]:
        indicator.pop("reason", None)
    (tmp_path / "actuals.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    draft = to_markdown(score(EXAMPLE / "targets.json", tmp_path / "actuals.json"))
    assert "偏差原因：**【待填写：用血信息查询平均用时未达到年度指标值的原因】**" in draft


def test_a_project_with_no_actuals_still_has_every_section():
    draft = to_markdown(score(ROOT / "tests" / "cases" / "national_numeric" / "targets.json",
                              {"projects": []}))
    assert sections(draft) == SECTIONS            # every indicator unanswered: still every section
    assert "未填写" in draft


def test_markdown_marks_in_the_data_are_escaped(tmp_path):
    targets = json.loads((EXAMPLE / "targets.json").read_text(encoding="utf-8"))
    targets["projects"][0]["indicators"][0]["name"] = "*重点* | <b>项目</b> #1"
    (tmp_path / "targets.json").write_text(json.dumps(targets, ensure_ascii=False), encoding="utf-8")
    draft = to_markdown(score(tmp_path / "targets.json", EXAMPLE / "actuals.json"))
    assert "\\*重点\\* \\| \\<b\\>项目\\</b\\> \\#1" in draft and "<b>" not in draft
    table = [line for line in draft.splitlines() if "重点" in line][0]
    assert table.count(" | ") == 5                 # the name's | does not split its cell


def test_several_projects_each_their_own_draft():
    report = score(ROOT / "examples" / "imported" / "003.targets.json")
    draft = to_markdown(report)
    assert draft.count("绩效自评报告（草稿）\n") == 16 and draft.count("\n---\n") == 15


def test_word_draft_has_the_same_sections_tables_and_marks(tmp_path):
    out = tmp_path / "自评报告.docx"
    assert main([str(EXAMPLE / "targets.json"), str(EXAMPLE / "actuals.json"), "-o", str(out)]) == 0
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == SECTIONS
    assert document.paragraphs[0].text == "2026年度信息化建设项目绩效自评报告（草稿）"
    assert len(document.tables) == 4
    assert [c.text for c in document.tables[2].rows[2].cells] == ["产出指标", "50.00", "50.00"]
    marked = [run for p in document.paragraphs for run in p.runs if run.text.startswith("【待填写")]
    assert marked and all(run.font.highlight_color is not None for run in marked)
    body = document.styles["Normal"].element.rPr.rFonts
    assert body.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"


def test_markdown_from_the_command_line(tmp_path, capsys):
    out = tmp_path / "自评报告.md"
    assert main([str(EXAMPLE / "targets.json"), str(EXAMPLE / "actuals.json"), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == to_markdown(example())
    assert main([str(EXAMPLE / "targets.json"), str(EXAMPLE / "actuals.json"), "--format", "docx"]) == 2
    assert "docx 格式需要 -o FILE" in capsys.readouterr().err


@pytest.mark.parametrize("form", ["md", "docx"])
def test_every_example_drafts(form, tmp_path):
    for folder in sorted(p for p in (ROOT / "examples").iterdir() if (p / "actuals.json").exists()):
        out = tmp_path / f"{folder.name}.{form}"
        assert main([str(folder / "targets.json"), str(folder / "actuals.json"), "-o", str(out), "--quiet"]) in (0, 1)
        assert out.stat().st_size > 1000
