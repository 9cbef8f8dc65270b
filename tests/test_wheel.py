"""What the wheel ships: grammar and units inside it, read from another directory, in a fresh venv."""

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (built,) = out.glob("scoring-*.whl")
    return built


def test_wheel_contains_the_data_files_and_the_command(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "scoring/grammar/expression.lark" in names
    assert "scoring/grammar/units.txt" in names
    assert {f"scoring/rulesets_data/{name}.toml" for name in
            ("national-2020", "fasp", "shanghai-2020", "jiangsu-department-2025")} <= set(names)
    assert {f"scoring/vocabularies_data/{name}.toml" for name in ("columns", "natures", "traditional")} <= set(names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "score = scoring.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_reads_from_another_directory(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    # The dependencies (lark, pint …) come from this environment; its editable install of scoring does not.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run([python, "-m", "scoring", "parse", "--jsonl", "≥6.00(万人份)"], cwd=elsewhere,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert '"magnitude": 60000' in done.stdout
    where = subprocess.run([python, "-c", "import scoring; print(scoring.__file__)"], cwd=elsewhere,
                           capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(site))
    example = ROOT / "examples" / "shanghai-2026"
    scored = subprocess.run([python, "-m", "scoring", str(example / "targets.json"), str(example / "actuals.json"),
                             "--format", "json"], cwd=elsewhere, capture_output=True, text=True)
    assert scored.returncode == 0, scored.stderr
    assert '"total": 99.02' in scored.stdout
