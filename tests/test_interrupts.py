"""Interrupts and concurrency: SIGINT or SIGTERM in the middle of a run (while scoring, while the output
is being written) leaves the earlier output file as it was, no temporary file, and one line on stderr;
eight processes on the same inputs at once all succeed with the serial result; ``scoring.score`` from
eight threads gives the serial results. (benchmarks/interrupt.py does the same on 1,000,000 rows.)"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import scoring

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "actuals.json").exists())
OLD = "an earlier output\n"
INDICATORS = 60_000          # a run of a few seconds, long enough to be interrupted at a known stage


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "scoring", *args]


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """Generated inputs, the serial run's output and how long the run took."""
    from generate import generate

    folder = tmp_path_factory.mktemp("province")
    targets, actuals = generate(INDICATORS, seed=17)
    for name, data in (("targets.json", targets), ("actuals.json", actuals)):
        (folder / name).write_text(json.dumps({"projects": data}, ensure_ascii=False), encoding="utf-8")
    start = time.monotonic()
    done = subprocess.run(command(str(folder / "targets.json"), str(folder / "actuals.json"), "-o",
                                  str(folder / "serial.json")), capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    return folder, (folder / "serial.json").read_bytes(), time.monotonic() - start


def _interrupted(province, signum: int, when) -> tuple[subprocess.CompletedProcess, Path]:
    """A run sent ``signum`` once ``when(output folder, seconds since the start)`` says so."""
    folder, _, _ = province
    work = folder / f"run-{signum}-{when.__name__}"
    work.mkdir(exist_ok=True)
    out = work / "out.json"
    out.write_text(OLD, encoding="utf-8")
    process = subprocess.Popen(command(str(folder / "targets.json"), str(folder / "actuals.json"), "-o", str(out)),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    start = time.monotonic()
    while not when(work, time.monotonic() - start) and process.poll() is None and time.monotonic() < start + 120:
        time.sleep(0.002)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), work


def _temporary(work: Path) -> list[Path]:
    return [p for p in work.iterdir() if p.name.startswith(".out.json.")]


def _assert_interrupted_once(province, signum: int, when) -> None:
    """Runs until one is interrupted (on a loaded machine a run may finish before the signal lands: its
    output must then be whole); each interrupted run ends with one line, exit 128 + the signal, the
    earlier output as it was and no temporary file."""
    _, serial, _ = province
    for _ in range(12):                               # a loaded machine misses the window now and then
        done, work = _interrupted(province, signum, when)
        assert done.stdout == "" and not _temporary(work)
        if done.returncode in (0, 1):                   # finished first
            assert (work / "out.json").read_bytes() == serial
            continue
        if done.returncode == -signum:                  # still importing (before main): nothing was begun
            assert (work / "out.json").read_text(encoding="utf-8") == OLD
            continue
        assert done.returncode == 128 + signum, done.stderr
        assert done.stderr.strip().count("\n") == 0 and "已中断" in done.stderr and "Traceback" not in done.stderr
        assert (work / "out.json").read_text(encoding="utf-8") == OLD
        return
    pytest.fail("no run was interrupted before it finished")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_the_output_is_written_leaves_the_old_file(province, signum):
    def writing(work: Path, seconds: float) -> bool:
        return bool(_temporary(work))

    _assert_interrupted_once(province, signum, writing)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_scoring_leaves_the_old_file(province, signum):
    _, _, took = province

    def scoring_stage(work: Path, seconds: float) -> bool:     # past the imports, before the output is begun
        return seconds > 0.6 * took

    _assert_interrupted_once(province, signum, scoring_stage)


def test_eight_processes_at_once_all_succeed_with_the_serial_result(province, tmp_path):
    folder, serial, _ = province
    inputs = (str(folder / "targets.json"), str(folder / "actuals.json"))
    shared = tmp_path / "shared.json"
    outputs = [shared if k % 2 else tmp_path / f"own-{k}.json" for k in range(8)]
    processes = [subprocess.Popen(command(*inputs, "-o", str(out)), stderr=subprocess.PIPE, text=True)
                 for out in outputs]
    for process in processes:
        process.communicate(timeout=300)
    assert [p.returncode for p in processes] == [1] * 8      # the generated inputs have issues: exit 1, as serially
    for out in set(outputs):
        assert out.read_bytes() == serial
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({out.name for out in outputs})


def test_eight_threads_give_the_serial_results():
    work = [(example, ruleset) for example in EXAMPLES for ruleset in (None, "national-2020", "hubei")]

    def scored(job) -> dict:
        example, ruleset = job
        return scoring.score(example / "targets.json", example / "actuals.json", ruleset=ruleset).to_json()

    serial = [scored(job) for job in work]
    for _ in range(3):
        with ThreadPoolExecutor(max_workers=8) as pool:
            assert list(pool.map(scored, work * 2)) == serial * 2


def test_the_serial_run_is_whole(province):
    _, serial, _ = province
    data = json.loads(serial)
    assert sum(len(p["indicators"]) for p in data["projects"]) == INDICATORS


def test_a_signal_ignored_by_the_caller_stays_ignored(province, tmp_path):
    """Started with SIGINT ignored (as `nohup` and a shell's `&` start a command), the run finishes."""
    folder, serial, took = province
    out = tmp_path / "out.json"
    process = subprocess.Popen(command(str(folder / "targets.json"), str(folder / "actuals.json"), "-o", str(out)),
                               stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    time.sleep(0.6 * took)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1 and "已中断" not in stderr
    assert out.read_bytes() == serial
