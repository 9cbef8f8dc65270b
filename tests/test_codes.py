"""The closed vocabularies: the codes the documents promise are the enums' members, and every code an
output can carry has a Chinese label that the table prints."""

import re

import pytest

from conftest import ROOT
from scoring import score
from scoring.codes import INDICATOR_ISSUES, PROJECT_ISSUES, Flag, IssueCode, Method, Status
from scoring.methods import METHODS
from scoring.writers.table import to_table

OUTPUTS = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")


def _documented(heading: str) -> dict[str, str]:
    """code → label, from the table under the line of docs/outputs.md that starts with ``heading``."""
    block = re.search(rf"^{re.escape(heading)}[^|]*?\n\n((?:\|.*\n)+)", OUTPUTS, re.M)
    assert block, f"docs/outputs.md has no table under {heading!r}"
    rows = re.findall(r"^\| `([a-z_0-9]+)` \| ([^|]+?) \|", block.group(1), re.M)
    return dict(rows)


@pytest.mark.parametrize("heading, codes", [
    ("Status (", tuple(Status)), ("Method (", tuple(Method)), ("Flags (", tuple(Flag)),
    ("Indicator issues (", INDICATOR_ISSUES), ("Project issues (", PROJECT_ISSUES),
])
def test_documented_codes_and_labels_equal_the_enums(heading, codes):
    assert _documented(heading) == {code.value: code.label for code in codes}


def test_every_issue_code_is_an_indicator_or_a_project_code():
    assert set(INDICATOR_ISSUES) | set(PROJECT_ISSUES) == set(IssueCode)


def test_every_registered_method_is_a_method_code():
    assert set(METHODS) <= {m.value for m in Method}


@pytest.mark.parametrize("enum", [Status, Method, Flag, IssueCode])
def test_every_code_has_a_chinese_label(enum):
    for member in enum:
        assert re.search(r"[\u4e00-\u9fff]", member.label), member
        assert member == member.value and isinstance(member, str)


def test_the_table_names_a_flag_in_chinese_not_by_its_code():
    targets = {"projects": [{"id": "p", "name": "项目", "indicators": [
        {"id": "1", "level1": "产出指标", "level2": "质量指标", "name": "制度建设", "target": "健全"}]}]}
    actuals = {"projects": [{"id": "p", "indicators": [{"id": "1", "actual": "基本建成"}]}]}
    report = score(targets, actuals)
    assert report.to_json()["projects"][0]["indicators"][0]["flags"] == ["tier_by_prefix"]
    table = to_table(report)
    assert Flag.TIER_BY_PREFIX.label in table and "tier_by_prefix" not in table
