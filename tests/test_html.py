"""The HTML report: one self-contained page (nothing fetched, no script), every input text escaped, the
charts well-formed SVG, and a page that headless Chromium draws."""

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scoring import score
from scoring.cli import main
from scoring.writers.html import to_html

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "shanghai-2026"
HOSTILE = ['<script>alert(1)</script>', '=HYPERLINK("http://example.invalid","x")', '" onmouseover="alert(1)',
           "+1-2", "@SUM(A1)", "-1+1", "</table><img src=x onerror=alert(1)>"]


def example():
    return score(EXAMPLE / "targets.json", EXAMPLE / "actuals.json")


def hostile(tmp_path):
    """The example with every text a user gives replaced by something a page must not run."""
    targets = json.loads((EXAMPLE / "targets.json").read_text(encoding="utf-8"))
    actuals = json.loads((EXAMPLE / "actuals.json").read_text(encoding="utf-8"))
    project = targets["projects"][0]
    project["name"], project["unit"] = HOSTILE[0], HOSTILE[6]
    for k, indicator in enumerate(project["indicators"]):
        indicator["name"] = HOSTILE[k % len(HOSTILE)] + f" {k}"
    for k, actual in enumerate(actuals["projects"][0]["indicators"]):
        actual["reason"] = HOSTILE[(k + 3) % len(HOSTILE)]
    for name, data in (("targets.json", targets), ("actuals.json", actuals)):
        (tmp_path / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return score(tmp_path / "targets.json", tmp_path / "actuals.json")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes, self.open = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]
        if tag not in ("meta", "br"):
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()


def tags(page: str) -> _Tags:
    parsed = _Tags()
    parsed.feed(page)
    parsed.close()
    return parsed


def test_the_page_is_self_contained_and_balanced():
    page = to_html(example())
    parsed = tags(page)
    assert not parsed.open
    assert not {"script", "link", "img", "iframe", "object"} & set(parsed.tags)
    assert not [a for a in parsed.attributes if a.startswith("on") or a in ("src", "srcset")]
    assert re.findall(r"https?://[^\"' ]+", page) == ["http://www.w3.org/2000/svg"] * page.count("<svg")
    assert "@import" not in page and "url(" not in page


def test_the_summary_then_a_section_per_project():
    report = score(ROOT / "examples" / "imported" / "003.targets.json")
    page = to_html(report)
    assert page.index('id="summary"') < page.index('id="p0"')
    assert page.count('<section class="project"') == len(report.totals()) == 16
    assert "总分分布" in page and "失分最多的指标" in page
    assert "<svg" in page.split('id="p0"')[1]                  # each project's bars
    shown = to_html(report, shown=3)
    assert shown.count('<section class="project"') == 3 and "另有 13 个项目未逐一展开" in shown
    assert shown.count("<tr><td>") >= 16                       # the summary still lists every project


def test_a_project_shows_its_table_bars_and_deductions():
    page = to_html(example())
    assert "<h3>自评表</h3>" in page and "扣分（2 项）" in page
    assert "用血信息查询平均用时</b>（扣 0.42 分）：实际 6分钟 &gt; 目标 ≤5.00(分钟)：2.50 × 5 / 6 = 2.08 分" in page
    assert "系统改造切换期间新旧库并行" in page                      # its 偏差原因
    assert "50.00 / 50.00" in page and "29.56 / 30.00" in page     # 产出指标, 效益指标 earned / possible
    assert "实施单位：上海市血液管理办公室" in page and "年度：2026" in page


def test_every_input_text_is_escaped(tmp_path):
    page = to_html(hostile(tmp_path))
    parsed = tags(page)
    assert not parsed.open
    assert not {"script", "img"} & set(parsed.tags)
    assert not [a for a in parsed.attributes if a.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "=HYPERLINK(&quot;http://example.invalid&quot;,&quot;x&quot;)" in page
    assert "+1-2" in page and "@SUM(A1)" in page       # shown as written: a page runs no formulas


def test_every_chart_is_well_formed_svg():
    page = to_html(score(ROOT / "examples" / "imported" / "003.targets.json"))
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(charts) == 17
    for chart in charts:
        root = ElementTree.fromstring(chart)
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.find("{http://www.w3.org/2000/svg}title") is not None
        widths = [float(rect.get("width")) for rect in root.iter("{http://www.w3.org/2000/svg}rect")]
        assert widths and all(w >= 0 for w in widths)


def test_html_from_the_command_line(tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main([str(EXAMPLE / "targets.json"), str(EXAMPLE / "actuals.json"), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == to_html(example())
    assert main([str(EXAMPLE / "targets.json"), str(EXAMPLE / "actuals.json"), "--format", "html"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("SCORING_REQUIRE_CHROMIUM") == "1"        # .ci/run installs it and sets this


@pytest.mark.skipif(not CHROMIUM and not REQUIRED,
                    reason="headless Chromium is not installed (Debian: apt-get install chromium)")
def test_chromium_draws_the_page(tmp_path):
    assert CHROMIUM, "SCORING_REQUIRE_CHROMIUM=1 but no chromium on PATH"
    page = tmp_path / "report.html"
    page.write_text(to_html(hostile(tmp_path)), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,1800"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    drawn = tags(dom)                                   # the page as the browser built it
    assert drawn.tags.count("svg") == 1 and drawn.tags.count("rect") > 10
    assert not {"script", "img"} & set(drawn.tags) and not [a for a in drawn.attributes if a.startswith("on")]
    shot = tmp_path / "page.png"
    subprocess.run([CHROMIUM, *flags, f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120,
                   check=True)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 50_000        # a drawn page, not a blank one
