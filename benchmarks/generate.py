"""Province-scale inputs made from the seed indicators, with a fixed random seed.

    python benchmarks/generate.py N OUT_DIR [--format json|csv|parquet]

Writes N indicators in projects of 10 to 25, taking levels, names and targets from the imported seed
tables (examples/imported/*.targets.json), with a realistic mix of actuals: mostly met, some missed,
some over-achieved, qualitative words, a few missing or 不适用, and some in another unit (分钟 for
小时, 人份 for 万人份, 万元 for 元).
JSON gives targets.json + actuals.json; csv and parquet give one flat file, one row per indicator,
written a block of projects at a time (10,000,000 rows need no more memory than 100,000).
"""

from __future__ import annotations

import argparse
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from scoring import Kind, parse_target

ROOT = Path(__file__).resolve().parent.parent
_CONVERT = {"小时": ("分钟", 60), "万人份": ("人份", 10000), "元": ("万元", Decimal("0.0001")), "天": ("小时", 24)}


def seed_indicators() -> list[dict]:
    out = []
    for path in sorted((ROOT / "examples" / "imported").glob("*.targets.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("ruleset", "national-2020") != "national-2020":
            continue                      # one ruleset for the whole province
        for project in data["projects"]:
            out += [{k: i[k] for k in ("level1", "level2", "name", "target")} for i in project["indicators"]]
    return out


def actual_for(target: str, rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < 0.02:
        return None
    if roll < 0.03:
        return "不适用"
    reading = parse_target(target)
    if reading.kind is Kind.QUANTITY and reading.value is not None:
        value = float(reading.value)
        if value == 0:
            return rng.choice(["0", "0", "0", "1", "无"]) + ("" if rng.random() < 0.5 else reading.unit)
        low, high = (0.85, 1.45) if reading.op in (None, ">=", ">", "=") else (0.6, 1.15)
        number = value * rng.uniform(low, high)
        unit = reading.unit
        if unit in _CONVERT and rng.random() < 0.3:
            unit, factor = _CONVERT[unit]
            number *= float(factor)
        if unit == "%":
            number = min(number, 100.0)
        return f"{number:.1f}{unit}" if number < 1000 else f"{number:.0f}{unit}"
    if reading.kind is Kind.RANGE:
        return f"{float(reading.low) * rng.uniform(0.9, 1.2):.1f}{reading.unit}"
    if reading.kind is Kind.COMPOUND:
        return "；".join(actual_for(part.text, rng) or "达成" for part in reading.parts)
    if reading.kind is Kind.DATE:
        return rng.choice(["8月", "9月", "10月"])
    return rng.choices([reading.word or "达成", "达成", "基本达到", "部分达成", "未达成"], [6, 2, 2, 1, 1])[0]


def projects(count: int, seed: int = 2026) -> Iterator[tuple[dict, dict]]:
    """The (targets, actuals) of each project in turn, ``count`` indicators in all."""
    rng = random.Random(seed)
    pool = seed_indicators()
    made = number = 0
    while made < count:
        size = min(rng.randint(10, 25), count - made)
        number += 1
        budget = round(rng.uniform(1e5, 5e6), 2)
        rows = rng.sample(pool, size)
        yield ({"id": f"P{number:07d}", "name": f"项目{number}", "kind": "project", "year": 2026,
                "budget": {"initial": budget, "adjusted": budget, "unit": "元"},
                "indicators": [{"id": str(i + 1), **row} for i, row in enumerate(rows)]},
               {"id": f"P{number:07d}", "budget": {"executed": round(budget * rng.uniform(0.7, 1.02), 2)},
                "indicators": [{"id": str(i + 1), "actual": actual_for(row["target"], rng)}
                               for i, row in enumerate(rows)]})
        made += size


def generate(count: int, seed: int = 2026) -> tuple[list[dict], list[dict]]:
    pairs = list(projects(count, seed))
    return [t for t, _ in pairs], [a for _, a in pairs]


def flat(targets: list[dict], actuals: list[dict]):
    import pandas as pd

    rows = []
    for project, done in zip(targets, actuals):
        for indicator, actual in zip(project["indicators"], done["indicators"]):
            rows.append({"project_id": project["id"], "project_name": project["name"],
                         "indicator_id": indicator["id"], "level1": indicator["level1"],
                         "level2": indicator["level2"], "name": indicator["name"], "target": indicator["target"],
                         "actual": actual["actual"], "budget_initial": project["budget"]["initial"],
                         "budget_adjusted": project["budget"]["adjusted"],
                         "budget_executed": done["budget"]["executed"]})
    return pd.DataFrame(rows)


def blocks(count: int, block: int) -> Iterator[tuple[list[dict], list[dict]]]:
    """The projects of ``projects(count)`` in runs of at least ``block`` indicators (the last shorter)."""
    targets, actuals, rows = [], [], 0
    for target, actual in projects(count):
        targets.append(target)
        actuals.append(actual)
        rows += len(target["indicators"])
        if rows >= block:
            yield targets, actuals
            targets, actuals, rows = [], [], 0
    if targets or not count:
        yield targets, actuals


def write_flat(count: int, path: Path, block: int = 200_000) -> None:
    """The flat table of ``count`` indicators as CSV or Parquet (by ``path``'s suffix), written a block
    of projects at a time: the file ``flat`` of the whole would give, in bounded memory."""
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as out:
            for k, (targets, actuals) in enumerate(blocks(count, block)):
                flat(targets, actuals).to_csv(out, index=False, header=k == 0, lineterminator="\n")
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    for targets, actuals in blocks(count, block):
        table = flat(targets, actuals)
        if writer is None:
            schema = pa.Schema.from_pandas(table, preserve_index=False)
            schema = pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f for f in schema],
                               metadata=schema.metadata)            # a block without any actual: still text
            writer = pq.ParquetWriter(path, schema)
        writer.write_table(pa.Table.from_pandas(table, schema=schema, preserve_index=False))
    writer.close()


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("count", type=int)
    options.add_argument("out", type=Path)
    options.add_argument("--format", choices=("json", "csv", "parquet"), default="json")
    args = options.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.format != "json":
        write_flat(args.count, args.out / f"indicators.{args.format}")
        return
    targets, actuals = generate(args.count)
    for name, projects in (("targets", targets), ("actuals", actuals)):
            (args.out / f"{name}.json").write_text(
                json.dumps({"ruleset": "national-2020", "projects": projects} if name == "targets"
                       else {"projects": projects}, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
