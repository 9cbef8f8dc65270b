"""`score import`: every seed table imports, with the repairs named, and round-trips into a score."""

import json
from pathlib import Path

import pytest

from conftest import ROOT
from scoring import InputError, Kind, parse_target, score
from scoring.cli import main
from scoring.readers import read
from scoring.readers.declarations import import_files, import_text
from scoring.template import template

SEEDS = ROOT / "tests" / "seeds"
COUNTS = {"000": (9, 108), "001": (6, 117), "002": (8, 77), "003": (16, 124), "004": (1, 64)}


def seed(number: str) -> Path:
    return next(SEEDS.glob(f"{number}_*.txt"))


def rows(number: str) -> dict[int, dict]:
    data, _ = import_files([seed(number)])
    return {i["source"]["line"]: i for p in data["projects"] for i in p["indicators"]}


def repairs(number: str) -> set[tuple[int, str]]:
    return {(r.line, r.code) for r in import_files([seed(number)])[1]}


@pytest.mark.parametrize("number", sorted(COUNTS))
def test_each_seed_imports(number):
    data, _ = import_files([seed(number)])
    projects = data["projects"]
    assert (len(projects), sum(len(p["indicators"]) for p in projects)) == COUNTS[number]
    assert all(i["level1"] and i["level2"] and i["name"] and i["target"] for p in projects for i in p["indicators"])


def test_all_seeds_hold_40_projects_and_490_indicators():
    data, _ = import_files(sorted(SEEDS.glob("0*.txt")))
    assert len(data["projects"]) == 40
    assert sum(len(p["indicators"]) for p in data["projects"]) == 490
    assert len({p["id"] for p in data["projects"]}) == 40


def level(row: dict) -> tuple[str, str, str, str]:
    return row["level1"], row["level2"], row["name"], row["target"]


def test_header_of_a_2026_project():
    data, _ = import_files([seed("000")])
    project = data["projects"][3]
    assert project["name"] == "血液质量与安全管理"        # wrap space removed from the name
    assert project["department"] == "上海市卫生健康委员会" and project["unit"] == "上海市血液管理办公室"
    assert (project["nature"], project["category"], project["year"]) == ("其他经常性项目", "特定目标类", 2026)
    assert project["budget"] == {"initial": 1001850.0, "adjusted": 1001850.0, "unit": "元"}
    assert project["goal"].startswith("完善本市血液质量控制体系")
    assert data["ruleset"] == "national-2020"


def test_displaced_labels_go_to_the_last_row():
    found = rows("000")
    assert level(found[133]) == ("效益指标", "可持续影响指标", "长效管理情况", "可持续")
    assert level(found[135]) == ("满意度指标", "服务对象满意度指标", "无偿献血志愿者满意率", "≥85.00(%)")
    assert {(133, "labels_displaced"), (135, "levels_moved")} <= repairs("000")


def test_a_cell_split_by_a_page_break_is_joined():
    assert level(rows("000")[200]) == ("效益指标", "社会效益指标", "重复献血率", "≥50.00(%)")
    assert (202, "cell_joined") in repairs("000")


def test_a_row_repeated_at_a_page_break_is_dropped_and_one_inside_a_page_kept():
    found = rows("002")
    assert level(found[85]) == ("效益指标", "生态效益指标", "云资源使用率", ">50.00(%)")
    assert 87 not in found and 89 in found
    assert level(found[83]) == ("产出指标", "时效指标", "各项工作完成及时率", "=100.00(%)")
    assert {(87, "row_repeated"), (89, "ambiguous"), (83, "labels_displaced")} <= repairs("002")


def test_first_rows_without_levels_take_the_labels_below():
    found = rows("003")
    assert [level(found[n])[:2] for n in range(325, 329)] == [("产出指标", "数量指标")] * 4
    assert (325, "levels_backfilled") in repairs("003")


def test_shifted_levels_of_the_2020_layout():
    found = rows("001")
    assert level(found[149]) == ("投入与管理", "实施管理", "项目管理制度健全性", "健全")
    assert level(found[156]) == ("效果目标", "满意度", "献血者满意", ">=85%")
    assert level(found[193]) == ("产出目标", "时效", "计划完成情况", "=100%")


def test_department_table_has_both_targets_and_work_columns():
    data, _ = import_files([seed("004")])
    project = data["projects"][0]
    assert (project["kind"], project["name"], project["year"]) == ("department", "江苏省血液中心", 2025)
    assert project["budget"] == {"initial": 14575.4, "adjusted": 14575.4, "unit": "万元", "half_year": 6000.0}
    found = rows("004")
    assert (found[66]["half_year_target"], found[66]["target"]) == ("0", "1次")
    assert (found[60]["key_work"], found[60]["project"]) == ("血液采集", "血站生产费用及原辅料")
    assert level(found[60])[:2] == ("履职", "血液采集制备")
    assert (67, "row_shifted") in repairs("004")


def test_targets_are_kept_exactly_as_written():
    values = {i["target"] for i in rows("002").values()}
    assert {"大于 2 次", "少于 5 件"} <= values


def test_every_imported_target_reads():
    data, _ = import_files(sorted(SEEDS.glob("0*.txt")))
    for project in data["projects"]:
        for indicator in project["indicators"]:
            parse_target(indicator["target"])
            if "half_year_target" in indicator:
                parse_target(indicator["half_year_target"])


def meeting(target: str) -> str:
    """An actual that meets ``target`` exactly."""
    reading = parse_target(target)
    if reading.kind is Kind.QUANTITY:
        return f"{reading.value}{reading.unit}"
    if reading.kind is Kind.RANGE:
        return f"{reading.low}{reading.unit}"
    if reading.kind is Kind.DATE:
        return str(reading.deadline)
    if reading.kind is Kind.COMPOUND:
        return "；".join(meeting(part.text) for part in reading.parts)
    return "达成"


@pytest.mark.parametrize("number", sorted(COUNTS))
def test_round_trip_import_template_fill_score(number, tmp_path):
    targets, _ = import_files([seed(number)])
    actuals = template(read(targets))
    for project in actuals["projects"]:
        source = next(p for p in targets["projects"] if p["id"] == project["id"])
        project["budget"]["executed"] = source["budget"]["adjusted"]
        for indicator in project["indicators"]:
            indicator["actual"] = meeting(indicator["target"])
    report = score(targets, actuals)
    assert report.totals()["total"].tolist() == [100.0] * COUNTS[number][0]
    assert not report.has_issues


def test_command_writes_targets_and_report(tmp_path, capsys):
    out, report = tmp_path / "targets.json", tmp_path / "report.json"
    assert main(["import", str(seed("002")), "-o", str(out), "--report", str(report)]) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["projects"]) == 8
    assert {r["code"] for r in json.loads(report.read_text(encoding="utf-8"))["repairs"]} >= {"row_repeated"}
    assert "8 个项目，77 个指标" in capsys.readouterr().err
    actuals = tmp_path / "actuals.json"
    assert main(["template", str(out), "-o", str(actuals)]) == 0
    assert main([str(out), str(actuals)]) == 1          # every actual still to be filled in


# ---- damaged input -------------------------------------------------------------------------------

def test_gbk_crlf_and_full_width_spaces_read_the_same(tmp_path):
    text = seed("000").read_text(encoding="utf-8")
    expected, _ = import_files([seed("000")])
    damaged = tmp_path / "000_gbk.txt"
    damaged.write_bytes(text.replace("\n", "\r\n").replace("信息化运维项目\t", "信息化运维项目\u3000\t").encode("gb18030"))
    found, _ = import_files([damaged])
    strip = lambda data: [[(i["level1"], i["level2"], i["name"], i["target"]) for i in p["indicators"]]
                          for p in data["projects"]]
    assert strip(found) == strip(expected)
    assert found["projects"][0]["name"] == "信息化运维项目"


def test_truncated_file_keeps_what_is_there(tmp_path):
    text = seed("000").read_text(encoding="utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_text(text[: text.index("系统用户满意度")], encoding="utf-8")
    data, _ = import_files([cut])
    assert len(data["projects"]) == 2
    assert data["projects"][1]["indicators"][-1]["name"] == "数据准确率"


def test_table_without_its_header_is_an_error(tmp_path):
    text = seed("003").read_text(encoding="utf-8")
    headless = "\n".join(line for line in text.split("\n") if "一级指标" not in line)
    with pytest.raises(InputError, match="指标"):
        import_text(headless, "headless.txt")


@pytest.mark.parametrize("text", ["", "hello world\n", "项目名称\t某项目\n", "\x00\x01binary"])
def test_not_a_declaration_table(text, tmp_path):
    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_files([path])
    assert caught.value.file == str(path)


def test_import_command_reports_errors_without_traceback(tmp_path, capsys):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xff\xfe\xfa not text")
    assert main(["import", str(path)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_every_shipped_layout_names_a_shipped_ruleset_and_known_levels():
    from scoring.readers.layouts import layouts
    from scoring.rulesets import load_ruleset

    found = layouts()
    assert {layout.name for layout in found} == {"jiangsu-department-2025", "shanghai-2020", "shanghai-2026"}
    for layout in found:
        ruleset = load_ruleset(layout.ruleset)
        assert layout.markers and all(ruleset.family_of(level1) for level1 in layout.levels), layout.name


def test_a_layout_delta_merges_over_its_base_and_replaces_what_it_says():
    from scoring.readers.layouts import load_layout

    national, shanghai, older = (load_layout(n) for n in ("national", "shanghai-2026", "shanghai-2020"))
    assert shanghai.levels == national.levels and shanghai.project_label == national.project_label
    assert "成本指标" not in older.levels and older.ruleset == "shanghai-2020"


@pytest.mark.parametrize("number", sorted(COUNTS))
def test_every_row_of_every_indicator_block_is_imported_or_named_by_a_repair(number):
    """Read apart from the importer: each line between a 三级指标 header and the next table that holds
    a cell is an imported indicator or the line of a repair (a row repeated at a page break, a cell
    split by one); only the dash rules that PDF extraction prints between rows are passed over."""
    data, repairs = import_files([seed(number)])
    imported = {i["source"]["line"] for p in data["projects"] for i in p["indicators"]}
    repaired = {r.line for r in repairs}
    inside, lost = False, []
    for line, text in enumerate(seed(number).read_text(encoding="utf-8").split("\n"), 1):
        if "三级指标" in text:
            inside = True
        elif "申报表" in text or "项目名称" in text:
            inside = False
        elif inside and text.strip() and text.strip("-\t ") and line not in imported | repaired:
            lost.append((line, text))
    assert lost == []
