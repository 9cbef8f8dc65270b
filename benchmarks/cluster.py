"""A province scored on a dask cluster, measured per partition, and a national run extrapolated.

    python benchmarks/cluster.py [--address tcp://HOST:PORT] [--input indicators.parquet | --rows N]
                                 [--partition-rows 250000] [--national 60000000] [--workers 2,16,64]
                                 [--work DIR] [--pandas]

Connects to the scheduler at --address (else starts a LocalCluster of two worker processes, one
thread each) and restarts its workers, so that their peak memory is this run's. The province table
(--input, as `python benchmarks/generate.py N DIR --format parquet` writes it, else generate.py's N
rows) is split into Parquet files of --partition-rows rows in --work, a folder every worker must
read and write (on a real cluster, shared storage); `scoring.dask.score_frame` then reads them on
the workers, shuffles, scores, and writes rows and totals back to Parquet, in one `dask.compute`.

From the task stream it reports each task group's seconds inside its tasks, and per scored partition
its rows, its seconds on its worker and the size of its scored frame; the shuffle's wall time; per
worker, its peak resident memory; the wall time of the run. Then it extrapolates a national run of
--national indicators from those measured figures, linearly in the number of partitions (see the
assumptions it prints). --pandas also times the same work (read, score, write) in one process.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import dask  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from distributed import Client, LocalCluster, get_task_stream  # noqa: E402

import scoring  # noqa: E402
from generate import flat, generate  # noqa: E402
from scoring.dask import score_frame  # noqa: E402

MB = 1 << 20


def warm() -> float:
    """On a worker: import the engine and build its grammar once (as the first partition would), and
    say the process's peak resident memory (MB) after it."""
    import scoring

    scoring.parse_target("≥95.00(%)")
    return peak()


def peak() -> float:
    """On a worker: the process's peak resident memory so far (MB), Linux's VmHWM (getrusage's
    ru_maxrss would carry the peak of the process that spawned the worker across exec)."""
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024


def split(table: pd.DataFrame, folder: Path, rows: int) -> int:
    """The table as Parquet files of ``rows`` rows, in table order; how many."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    count = math.ceil(len(table) / rows)
    for k in range(count):
        table.iloc[k * rows:(k + 1) * rows].to_parquet(folder / f"part-{k:05d}.parquet", index=False)
    return count


def group(key) -> str:
    name = key[0] if isinstance(key, tuple) else key
    return name.rsplit("-", 1)[0]


def seconds(task: dict) -> float:
    return sum(s["stop"] - s["start"] for s in task["startstops"] if s["action"] == "compute")


def measure(client: Client, source: Path, out: Path) -> dict:
    ddf = dd.read_parquet(str(source))
    rows, totals = score_frame(ddf)
    shutil.rmtree(out, ignore_errors=True)
    with get_task_stream(client) as stream:
        start = time.perf_counter()
        dask.compute(rows.to_parquet(out / "rows", compute=False), totals.to_parquet(out / "totals", compute=False))
        wall = time.perf_counter() - start
    tasks = stream.data
    scoring = sorted((t for t in tasks if group(t["key"]) == "_partition"), key=lambda t: t["key"][1])
    shuffle = [t for t in tasks if group(t["key"]) in ("shuffle-transfer", "shuffle-barrier")]
    starts = [s["start"] for t in shuffle for s in t["startstops"]]
    stops = [s["stop"] for t in shuffle for s in t["startstops"]]
    groups = defaultdict(list)
    for task in tasks:
        groups[group(task["key"])].append(seconds(task))
    return {
        "input_partitions": ddf.npartitions, "wall": wall, "groups": dict(groups),
        "partitions": [{"partition": t["key"][1], "worker": t["worker"], "seconds": seconds(t), "bytes": t["nbytes"],
                        "rows": pq.ParquetFile(out / "rows" / f"part.{t['key'][1]}.parquet").metadata.num_rows}
                       for t in scoring],
        "shuffle_wall": max(stops) - min(starts),
        "numbered_bytes": sum(t["nbytes"] for t in tasks if group(t["key"]).startswith("_number_rows")),
        "projects": pq.ParquetDataset(out / "totals").read(columns=["project_id"]).num_rows,
    }


def one_process(source: Path, out: Path) -> float:
    """Seconds for the same work in this process with pandas: read the files, score, write both."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    start = time.perf_counter()
    rows, totals = scoring.score_frame(pd.read_parquet(source))
    rows.to_parquet(out / "rows.parquet")
    totals.to_parquet(out / "totals.parquet")
    return time.perf_counter() - start


def report(m: dict, peaks: dict, base: dict, args) -> None:
    parts, workers, p_m = m["partitions"], len(peaks), m["input_partitions"]
    rows = sum(p["rows"] for p in parts)
    print(f"\n{rows:,} indicators ({m['projects']:,} projects), {p_m} partitions of up to {args.partition_rows:,} "
          f"rows, {workers} workers of one thread; wall {m['wall']:.1f} s\n")
    print("| task group | tasks | seconds in tasks | per task |\n|---|---|---|---|")
    task_seconds = 0.0
    for name, spent in sorted(m["groups"].items(), key=lambda item: -sum(item[1])):
        task_seconds += sum(spent)
        print(f"| {name} | {len(spent)} | {sum(spent):.2f} s | {sum(spent) / len(spent):.3f} s |")
    print(f"| all | {sum(map(len, m['groups'].values()))} | {task_seconds:.2f} s | |")
    print(f"\nshuffle (first transfer to the barrier): {m['shuffle_wall']:.2f} s wall; "
          f"numbered input {m['numbered_bytes'] / MB:,.0f} MB\n")
    print("| scored partition | worker | rows | scoring seconds | scored frame |\n|---|---|---|---|---|")
    for p in parts:
        print(f"| {p['partition']} | {p['worker']} | {p['rows']:,} | {p['seconds']:.2f} s | {p['bytes'] / MB:,.0f} MB |")
    print("\n| worker | resident after import and grammar | peak resident |\n|---|---|---|")
    for address in sorted(peaks):
        print(f"| {address} | {base[address]:,.0f} MB | {peaks[address]:,.0f} MB |")

    per_partition = task_seconds / p_m
    scored_mb = sum(p["bytes"] for p in parts) / len(parts) / MB
    overhead = m["wall"] - math.ceil(p_m / workers) * per_partition
    top = max(peaks.values())
    held = math.ceil(p_m / workers) * scored_mb
    n = math.ceil(args.national / args.partition_rows)
    print(f"\nExtrapolated, not measured: {args.national:,} indicators in {n:,} partitions of {args.partition_rows:,} "
          f"rows; {per_partition:.2f} worker-seconds a partition (all its tasks, measured), so "
          f"{n * per_partition / 3600:,.1f} worker-hours in all; shuffled input "
          f"{m['numbered_bytes'] / p_m * n / (1 << 30):,.0f} GB.\n")
    print("| workers (one core each) | partitions a worker | wall | memory a worker |\n|---|---|---|---|")
    for w in args.workers:
        waves = math.ceil(n / w)
        wall = waves * per_partition + overhead
        memory = top - held + waves * scored_mb
        print(f"| {w} | {waves} | {wall / 60:,.1f} min | {memory / 1024:,.1f} GB |")
    print(f"\nAssumptions: the wall time is the partitions a worker takes in turn times the measured seconds of "
          f"one partition, plus this run's {overhead:.1f} s beyond that (scheduling, the shuffle barrier, the "
          f"client); the shuffle's cost grows with the rows shuffled, as measured here over loopback, not a "
          f"network; a worker's memory is this run's peak ({top:,.0f} MB) with the scored frames it holds "
          f"({scored_mb:,.0f} MB each, dask's estimate) until every partition is scored (the level names), "
          f"{held:,.0f} MB of them here; past dask's memory limit they spill to disk.")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--address", help="the scheduler, tcp://HOST:PORT (default: a LocalCluster of 2)")
    options.add_argument("--input", type=Path, help="a flat Parquet table (generate.py --format parquet)")
    options.add_argument("--rows", type=int, default=1_000_000, help="generated rows, without --input")
    options.add_argument("--partition-rows", type=int, default=250_000)
    options.add_argument("--national", type=int, default=60_000_000)
    options.add_argument("--workers", type=lambda s: [int(w) for w in s.split(",")], default=[2, 16, 64])
    options.add_argument("--work", type=Path, help="a folder every worker reads and writes (default: temporary)")
    options.add_argument("--pandas", action="store_true", help="also time the same work in one process with pandas")
    args = options.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="scoring-cluster-"))
    table = pd.read_parquet(args.input) if args.input else flat(*generate(args.rows))
    files = split(table, work / "in", args.partition_rows)
    del table
    cluster = None if args.address else LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)
    try:
        with Client(args.address or cluster) as client:
            client.restart()
            base = client.run(warm)
            print(f"dask {dask.__version__}, pandas {pd.__version__}, {len(base)} workers at "
                  f"{client.scheduler.address}; {files} input files in {work}")
            measured = measure(client, work / "in", work / "out")
            report(measured, client.run(peak), base, args)
        if args.pandas:
            alone = one_process(work / "in", work / "pandas")
            print(f"\nThe same in one process with pandas (read, scoring.score_frame, write): {alone:.1f} s; "
                  f"the cluster's wall is {measured['wall'] / alone:.2f}× that.")
    finally:
        if cluster is not None:
            cluster.close()
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
