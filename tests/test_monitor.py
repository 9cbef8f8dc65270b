"""Mid-year monitoring (`score monitor`, scoring/monitor.py): the progress expected at a date, the light
of each indicator and project with its reason, the ruleset's thresholds, and the command."""

import csv
import io
import json
from datetime import date

import pytest

from conftest import ROOT
from scoring import readers
from scoring.cli import main
from scoring.monitor import Light, monitor
from scoring.rulesets import load_ruleset

JUNE = date(2026, 6, 30)


def watch(target: str, progress: str | None, half: str | None = None, as_of: date = JUNE, ruleset="national-2020",
          executed: float = 50, name: str = "指标"):
    indicator = {"id": "1", "level1": "产出指标", "level2": "数量指标", "name": name, "target": target}
    if half:
        indicator["half_year_target"] = half
    targets = {"id": "P", "name": "项目", "year": 2026, "budget": {"adjusted": 100, "unit": "万元"},
               "indicators": [indicator]}
    report = {"id": "P", "budget": {"executed": executed}, "indicators": [{"id": "1", "actual": progress}]}
    inputs = readers.read(targets, report)
    return monitor(inputs.projects, inputs.indicators, load_ruleset(ruleset), as_of)


def light(*args, **kwargs) -> tuple[str, str]:
    watched = watch(*args, **kwargs).indicators.iloc[0]
    return str(watched.light), watched.reason


def test_a_cumulative_target_is_expected_in_proportion_to_the_time_gone():
    watched = watch("≥365次", "181次").indicators.iloc[0]
    assert watched.expected == pytest.approx(181) and watched.light == Light.GREEN
    assert watched.projected == pytest.approx(365)
    assert "按时间进度 49.6%" in watched.reason


def test_a_half_year_target_is_what_is_expected_at_30_june():
    watched = watch("≥200人次", "80人次", half="≥120人次").indicators.iloc[0]
    assert watched.expected == pytest.approx(120) and watched.light == Light.RED        # 67% of it
    assert "按半年指标值" in watched.reason and watched.projected == pytest.approx(200 * 80 / 120)
    later = watch("≥200人次", "150人次", half="≥120人次", as_of=date(2026, 9, 30)).indicators.iloc[0]
    assert 120 < later.expected < 200 and later.light == Light.GREEN


@pytest.mark.parametrize("progress, expected", [("95次", "green"), ("90次", "green"), ("80次", "yellow"),
                                                 ("70次", "yellow"), ("60次", "red")])
def test_the_light_of_a_cumulative_target_by_the_share_of_the_progress_expected(progress, expected):
    assert light("≥200次", progress, half="≥100次")[0] == expected


def test_a_progress_in_another_unit_is_converted():
    watched = watch("≥19.58万人份", "98000人份", half="≥9.79万人份").indicators.iloc[0]
    assert watched.progress == pytest.approx(9.8) and watched.unit == "万人份" and watched.light == Light.GREEN


@pytest.mark.parametrize("target, progress, expected", [
    ("≥95%", "96%", "green"), ("≥95%", "80%", "yellow"), ("≥95%", "60%", "red"),
    ("≤8小时", "6小时", "green"), ("≤8小时", "10小时", "yellow"), ("≤8小时", "16小时", "red"),
    ("健全", "健全", "green"), ("按时完成", "基本完成", "yellow"), ("按时完成", "未完成", "red"),
])
def test_a_level_target_is_expected_at_its_value_all_year(target, progress, expected):
    assert light(target, progress)[0] == expected


def test_a_deadline_is_red_only_once_it_has_passed_unfinished():
    assert light("2026年9月30日前", "推进中")[0] == "green"
    assert light("2026年6月15日前", "推进中")[0] == "red"
    assert light("2026年6月15日前", "已完成")[0] == "green"


def test_an_indicator_without_progress_or_a_readable_target_is_red_and_says_why():
    assert light("≥200次", None) == ("red", "未填报进展")
    assert light("≥200 xyz", "1次")[0] == "red"
    assert light("≥200人次", "3万元") == ("red", "进展「3万元」与指标值「≥200人次」单位不一致，无法比较")
    assert light("≥200人次", "进展顺利")[0] == "yellow"                 # words for a number: a person decides


@pytest.mark.parametrize("executed, expected", [(45, "green"), (35, "yellow"), (25, "red")])
def test_a_project_light_compares_execution_with_the_time_gone(executed, expected):
    project = watch("≥95%", "96%", executed=executed).projects.iloc[0]
    assert str(project.light) == expected and "时间进度 49.6%" in project.reason


def test_a_red_indicator_makes_a_green_project_yellow():
    project = watch("≥95%", "50%", executed=50).projects.iloc[0]
    assert project.light == Light.YELLOW and project.red_indicators == 1 and "1 个指标红灯" in project.reason


def test_the_thresholds_are_the_rulesets(tmp_path):
    lenient = tmp_path / "lenient.toml"
    lenient.write_text('schema = 1\nname = "lenient"\nbase = "national-2020"\n'
                       "[monitor]\ngreen_at = 0.5\nyellow_at = 0.3\nbehind_green = 30\nbehind_yellow = 40\n", encoding="utf-8")
    assert light("≥200次", "60次", half="≥100次", ruleset=str(lenient))[0] == "green"
    assert str(watch("≥95%", "96%", executed=25, ruleset=str(lenient)).projects.iloc[0].light) == "green"


@pytest.fixture
def files(tmp_path):
    targets = {"id": "P", "name": "项目", "year": 2026, "budget": {"adjusted": 100, "unit": "万元"}, "indicators": [
        {"id": "1", "level1": "产出指标", "level2": "数量指标", "name": "培训人次", "target": "≥200人次"},
        {"id": "2", "level1": "满意度指标", "level2": "服务对象满意度指标", "name": "满意度", "target": "≥90%"}]}
    progress = {"id": "P", "budget": {"executed": 48}, "indicators": [{"id": "1", "actual": "=30人次"},
                                                                     {"id": "2", "actual": "92%"}]}
    paths = tmp_path / "targets.json", tmp_path / "progress.json"
    for path, data in zip(paths, (targets, progress)):
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return [str(p) for p in paths]


def test_the_command_prints_the_lights_and_exits_1_on_red(files, capsys):
    assert main(["monitor", *files, "--as-of", "2026-06-30"]) == 1
    out = capsys.readouterr().out
    assert "项目 项目：黄灯（关注）" in out and "红灯指标 1 个" in out and "绿灯（正常）　满意度指标" in out


def test_the_command_writes_json_and_csv_with_formula_text_kept_as_text(files, tmp_path, capsys):
    out = tmp_path / "watch.json"
    main(["monitor", *files, "--as-of", "2026-06-30", "-o", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["as_of"] == "2026-06-30" and [row["indicator"] for row in data["red"]] == ["产出指标 / 数量指标 / 培训人次"]
    main(["monitor", *files, "--as-of", "2026-06-30", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["reported"] == "'=30人次" and rows[1]["light"] == "green"


def test_a_date_that_is_not_one_is_a_usage_error(files, capsys):
    assert main(["monitor", *files, "--as-of", "2026-13-01"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_the_command_writes_a_workbook_of_projects_indicators_and_red_rows(files, tmp_path):
    import openpyxl

    out = tmp_path / "watch.xlsx"
    assert main(["monitor", *files, "--as-of", "2026-06-30", "-o", str(out)]) == 1
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["项目", "指标", "红灯"]
    red = [[cell.value for cell in row] for row in book["红灯"].iter_rows(min_row=2)]
    assert [row[1] for row in red] == ["产出指标 / 数量指标 / 培训人次"]
    reported = book["红灯"]["D2"]
    assert reported.value == "=30人次" and reported.data_type == "s"          # text, not a formula


@pytest.mark.parametrize("target, progress, expected", [
    ("≥90%", "88", "green"),                     # a bare number in the target's unit, as the scorer reads it
    ("≥1000亩", "500", "green"),
    ("≥500万元", "100万", "red"),
    ("=0次", "3次", "red"), ("=0次", "0次", "green"), ("=0次", "无", "green"), ("=0次", "未发生", "green"),
    ("=4次", "2次", "green"),                    # = a count is cumulative: half of it by 30 June
    ("9月底前", "推进中", "green"), ("5月底前", "推进中", "red"),        # a deadline without a year: the project's
])
def test_readings_as_the_scorer_reads_them(target, progress, expected):
    assert light(target, progress)[0] == expected


def test_the_time_gone_is_that_of_the_projects_year():
    assert watch("≥95%", "96%", as_of=date(2027, 1, 15)).projects.iloc[0].time_progress == 1.0
    earlier = watch("≥200次", "10次", as_of=date(2025, 6, 30))
    assert earlier.projects.iloc[0].time_progress == 0.0 and earlier.indicators.iloc[0].light == Light.GREEN


def test_a_row_reported_not_applicable_is_left_out():
    assert watch("≥95%", "不适用").indicators.empty


def test_projects_of_the_same_name_keep_their_own_indicators(capsys, tmp_path):
    projects = [{"id": k, "name": "培训项目", "year": 2026, "budget": {"adjusted": 100}, "indicators": [
        {"id": "1", "level1": "产出指标", "level2": "质量指标", "name": f"合格率{k}", "target": "≥95%"}]} for k in "AB"]
    progress = [{"id": k, "budget": {"executed": 50}, "indicators": [{"id": "1", "actual": value}]}
                for k, value in (("A", "96%"), ("B", "10%"))]
    paths = [tmp_path / "t.json", tmp_path / "p.json"]
    for path, data in zip(paths, (projects, progress)):
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    main(["monitor", *map(str, paths), "--as-of", "2026-06-30"])
    out = capsys.readouterr().out.split("项目 培训项目")
    assert "合格率A" in out[1] and "合格率B" not in out[1] and "合格率B" in out[2]


def test_an_output_format_the_command_does_not_write_is_refused(files, tmp_path, capsys):
    assert main(["monitor", *files, "--as-of", "2026-06-30", "-o", str(tmp_path / "w.parquet")]) == 2
    assert "输出格式" in capsys.readouterr().err and not (tmp_path / "w.parquet").exists()


def test_thresholds_out_of_order_are_refused(tmp_path):
    inverted = tmp_path / "inverted.toml"
    inverted.write_text('schema = 1\nname = "inverted"\nbase = "national-2020"\n[monitor]\ngreen_at = 0.5\nyellow_at = 0.8\n',
                        encoding="utf-8")
    with pytest.raises(Exception, match="monitor.yellow_at"):
        load_ruleset(inverted)


@pytest.mark.parametrize("target, progress, expected", [
    ("90%-95%", "92%", "green"), ("90%-95%", "85%", "green"), ("90%-95%", "60%", "red"),
    ("使用率100%；误差率≤1%", "使用率100%；误差率0.5%", "green"),
    ("使用率100%；误差率≤1%", "100%；3%", "red"),                 # in order when the progress has no labels
    ("使用率100%；误差率≤1%", "进展顺利", "yellow"),
])
def test_ranges_and_compound_targets(target, progress, expected):
    assert light(target, progress)[0] == expected


def test_a_flat_table_holding_its_progress_is_monitored_alone(tmp_path, capsys):
    table = tmp_path / "indicators.csv"
    table.write_text("项目名称,一级指标,二级指标,三级指标,指标值,实际完成值,年度\n"
                     "项目,产出指标,质量指标,合格率,≥95%,96%,2026\n", encoding="utf-8")
    assert main(["monitor", str(table), "--as-of", "2026-06-30"]) == 1          # no budget: the project is red
    assert "绿灯（正常）　产出指标 / 质量指标 / 合格率" in capsys.readouterr().out


def test_progress_reported_by_funds_is_combined_as_scoring_combines_it():
    targets = {"id": "P", "name": "项目", "year": 2026, "budget": {"adjusted": 100}, "indicators": [
        {"id": "1", "level1": "产出指标", "level2": "数量指标", "name": "培训人次", "target": "≥2万人次"},
        {"id": "2", "level1": "产出指标", "level2": "质量指标", "name": "合格率", "target": "≥95%"}]}
    progress = {"id": "P", "budget": {"executed": 50}, "indicators": [
        {"id": "1", "funds": [{"fund": "中央资金", "money": 10, "actual": "0.5万人次"},
                              {"fund": "省级资金", "money": 5, "actual": "3000人次"}]},
        {"id": "2", "funds": [{"fund": "中央资金", "actual": "96%"}, {"fund": "省级资金", "actual": "90%"}]}]}
    inputs = readers.read(targets, progress)
    first, second = monitor(inputs.projects, inputs.indicators, load_ruleset("national-2020"), JUNE).indicators.itertuples()
    assert first.progress == pytest.approx(0.8) and first.light == Light.YELLOW     # 81% of about 1 by now
    assert second.light == Light.RED and "无法合并" in second.reason                 # % by money, and none given


def test_a_rate_of_execution_or_completion_grows_with_the_time_gone(tmp_path):
    watched = watch("≥95%", "47%", name="预算执行率").indicators.iloc[0]
    assert watched.light == Light.GREEN and watched.expected == pytest.approx(95 * 181 / 365)
    assert "按时间进度 49.6%" in watched.reason
    early = watch("=100%", "100%", name="硬件购置完成率", as_of=date(2026, 3, 31)).indicators.iloc[0]
    assert early.projected == 100 and "全年约 100%" in early.reason              # a rate ends at 100%
    assert light("≥95%", "47%", name="合格率")[0] == "red"                        # a level, expected all year
    levels = tmp_path / "levels.toml"
    levels.write_text('schema = 1\nname = "levels"\nbase = "national-2020"\n[monitor]\ncumulative_rates = []\n',
                      encoding="utf-8")
    assert light("≥95%", "47%", name="预算执行率", ruleset=str(levels))[0] == "red"


def test_a_level_with_a_half_year_target_is_held_to_it_until_30_june():
    assert light("≥95%", "91%", half="≥90%") == ("green", "当前 91%，半年指标值 ≥90%，达成 101%")
    assert light("≥95%", "80%", half="≥90%", as_of=date(2026, 9, 30))[0] == "yellow"     # 84% of 95% after June
    assert light("≤8小时", "9小时", half="≤10小时")[0] == "green"


def test_numbers_in_reasons_have_no_exponent():
    _, reason = light("155000单位", "72300单位", half="70000单位")
    assert reason == "完成 72300单位，应完成 70000单位（按半年指标值），进度 103%；按此进度全年约 160092.86单位"
    assert "e+" not in light("≥1500000000万元", "1234567890万元")[1]


def test_the_worked_example_of_the_docs_is_the_golden_one(capsys):
    """docs/monitor.md: the 江苏 department table of 2025 with the illustrative progress at 30 June; each
    line of the golden file read against the table (2 red: 报销金额 57%, 大型宣传活动 60% of the 半年指标值)."""
    folder = ROOT / "examples" / "jiangsu-department-2025"
    assert main(["monitor", str(folder / "targets.json"), str(folder / "progress-2025-06.json"),
                 "--as-of", "2025-06-30"]) == 1
    assert capsys.readouterr().out == (ROOT / "tests" / "golden" / "monitor-jiangsu-2025-06.txt").read_text(encoding="utf-8")


def test_a_zero_target_with_a_half_year_target_and_a_rate_named_in_traditional_characters():
    assert light("≥0次", "5次", half="≥2次")[0] == "green"                      # nothing asked: nothing behind
    assert light("≥0%", "5%", half="≥10%", name="预算执行率")[0] == "green"
    assert light("≥95%", "47%", name="預算執行率")[0] == "green"                  # 执行率, as the review reads it
