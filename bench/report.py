#!/usr/bin/python3
"""Helpers for run.sh: check the peers against abmtier, summarise timings,
and keep bench/RESULTS.md up to date. Standard library only.

    report.py verify ABMTIER_OUT.csv PEER_DUMP.csv NAME
        Compares tier, waitlist_tier and waitlist_rank per id; exit 1 on any
        difference.
    report.py section --size N --dir DIR --input FILE --runs R --tools a,b,..
                      --command CMD --results RESULTS.md [--note TEXT]
                      [--load-before X --load-after Y] [--skipped TEXT]
        Reads DIR/<tool>.run<k>.time (GNU time -v), DIR/<tool>.run<k>.out
        (the peers' JSON counts) and DIR/abmtier.run<k>.summary.json, prints
        the table, and replaces the section for size N in RESULTS.md (other
        sizes' sections are kept). Exit 1 when a peer's counts differ from
        abmtier's.
"""
import argparse
import csv
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

TIERS = ["1", "2", "3", "watchlist", "outside"]
LABELS = {
    "abmtier": "abmtier (CSV out + JSON summary)",
    "floor": "parse floor (fccp, 4 columns, 1 thread)",
    "duckdb": "DuckDB SQL (node, 2 threads)",
    "pandas": "pandas",
}


def verify(ours, theirs, name):
    def load(path):
        with open(path, newline="", encoding="utf-8") as f:
            return {r["id"]: (r["tier"], r["waitlist_tier"], r["waitlist_rank"]) for r in csv.DictReader(f)}

    a, b = load(ours), load(theirs)
    diff = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    if diff:
        print(f"{name}: {len(diff)} of {len(a)} accounts differ from abmtier, e.g.", file=sys.stderr)
        for k in diff[:10]:
            print(f"  {k}: abmtier {a.get(k)} vs {name} {b.get(k)}", file=sys.stderr)
        return 1
    print(f"{name}: all {len(a)} accounts match abmtier (tier, waitlist tier, waitlist rank)")
    return 0


def parse_time(path):
    """Wall, CPU (user + sys) seconds, peak RSS in KiB, exit status."""
    text = open(path, encoding="utf-8").read()
    wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", text).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    user = float(re.search(r"User time \(seconds\): (\S+)", text).group(1))
    system = float(re.search(r"System time \(seconds\): (\S+)", text).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    status = re.search(r"Exit status: (\d+)", text)
    return seconds, user + system, rss, int(status.group(1)) if status else 0


def tier_counts(directory, tool, run):
    if tool == "abmtier":
        with open(os.path.join(directory, f"abmtier.run{run}.summary.json"), encoding="utf-8") as f:
            summary = json.load(f)
        return [summary["tiers"][t]["count"] for t in TIERS], summary["input"]["rows_read"]
    with open(os.path.join(directory, f"{tool}.run{run}.out"), encoding="utf-8") as f:
        result = json.loads(f.read().strip().splitlines()[-1])
    if tool == "floor":
        return None, result["rows"]
    return [result[t] for t in TIERS], result["accepted"] + result["rejected"]


def first_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
        return out.strip().splitlines()[0] if out.strip() else "n/a"
    except OSError:
        return "n/a"


def source_state():
    """The commit abmtier was built from, and whether the work tree differed."""
    head = first_line(["git", "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "include", "CMakeLists.txt"],
                           capture_output=True, text=True, check=False).stdout.strip()
    return f"commit {head}" + (" plus uncommitted changes in src/ or include/" if dirty else "")


def shared_note(args):
    """A busy machine inflates wall times; say so next to the figures."""
    try:
        load = float(args.load_before.split()[0])
    except (ValueError, IndexError):
        return ""
    # The bench's own previous runs leave a load of about 1 behind on two
    # cores, so only a load near the core count means other work.
    if load < 0.9 * (os.cpu_count() or 1):
        return ""
    return (" The machine was shared with other work during the measurement, "
            "so wall times are inflated and noisy; CPU times are the steadier comparison.")


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as f:
        mem_kib = int(f.readline().split()[1])
    return [
        f"* CPU: {cpu}, {os.cpu_count()} cores",
        f"* Memory: {mem_kib / 1024 / 1024:.1f} GiB",
        f"* Kernel: Linux {platform.release()}",
        f"* Compiler: {first_line(['g++', '--version'])}",
        f"* Node {first_line(['node', '--version'])} with @duckdb/node-api {duckdb_version()}; "
        f"Python {platform.python_version()} with {pandas_version()}",
    ]


def duckdb_version():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_modules", "@duckdb", "node-api",
                        "package.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)["version"]
    except (OSError, ValueError, KeyError):
        return "(not installed)"


def pandas_version():
    try:
        import numpy  # pylint: disable=import-outside-toplevel
        import pandas  # pylint: disable=import-outside-toplevel
        return f"pandas {pandas.__version__}, numpy {numpy.__version__}"
    except ImportError:
        return "no pandas"


def section(args):
    tools = args.tools.split(",")
    size_bytes = os.path.getsize(args.input)
    rows = {}
    failed = False
    reference = None
    for tool in tools:
        walls, cpus, peaks, counts, read = [], [], [], None, None
        for run in range(1, args.runs + 1):
            wall, cpu, rss, status = parse_time(os.path.join(args.dir, f"{tool}.run{run}.time"))
            if status != 0:
                print(f"{tool} run {run} exited with status {status}", file=sys.stderr)
                failed = True
            walls.append(wall)
            cpus.append(cpu)
            peaks.append(rss)
            run_counts, read = tier_counts(args.dir, tool, run)
            if counts is not None and run_counts != counts:
                print(f"{tool}: counts changed between runs", file=sys.stderr)
                failed = True
            counts = run_counts
        rows[tool] = dict(wall=statistics.median(walls), cpu=statistics.median(cpus), rss=max(peaks),
                          counts=counts, read=read, walls=walls)
        if tool == "abmtier":
            reference = rows[tool]
    lines = table(args, rows, reference, size_bytes)
    for tool, row in rows.items():
        if reference is None or tool == "abmtier":
            continue
        if row["read"] != reference["read"] or (row["counts"] is not None and row["counts"] != reference["counts"]):
            failed = True
    print("\n".join(lines))
    update_results(args, lines)
    return 1 if failed else 0


def table(args, rows, reference, size_bytes):
    floor = rows.get("floor")
    n = args.size
    lines = [
        f"<!-- size {n} -->",
        f"## {n:,} rows ({size_bytes / 1e6:,.0f} MB), {args.runs} run(s) each",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `{args.command}`, "
        f"abmtier built from {source_state()}.",
        f"Load average {args.load_before} before, {args.load_after} after.{shared_note(args)}",
        "",
        "| tool | median wall s | rows/s | MB/s | CPU s (user+sys) | peak RSS MiB | x floor | "
        "tier 1 / 2 / 3 / watchlist / outside | same as abmtier |",
        "|---|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for tool, row in rows.items():
        wall = row["wall"]
        counts = " / ".join(f"{c:,}" for c in row["counts"]) if row["counts"] is not None else f"({row['read']:,} rows read)"
        if tool == "abmtier" or reference is None:
            same = "reference" if tool == "abmtier" else "n/a"
        elif row["counts"] is None:
            same = "rows yes" if row["read"] == reference["read"] else "**rows NO**"
        else:
            same = "yes" if row["counts"] == reference["counts"] and row["read"] == reference["read"] else "**NO**"
        ratio = f"{wall / floor['wall']:.1f}" if floor and floor["wall"] > 0 else "n/a"
        lines.append(
            f"| {LABELS.get(tool, tool)} | {wall:.2f} | {n / wall:,.0f} | {size_bytes / 1e6 / wall:,.1f} | "
            f"{row['cpu']:.2f} | {row['rss'] / 1024:,.0f} | {ratio} | {counts} | {same} |")
    lines.append("")
    lines.append("Wall times of every run (s): " + "; ".join(
        f"{tool} {', '.join(f'{w:.2f}' for w in row['walls'])}" for tool, row in rows.items()) + ".")
    if args.skipped:
        lines.append("")
        lines.append(args.skipped)
    if args.note:
        lines.append("")
        lines.append(args.note)
    lines.append(f"<!-- /size {n} -->")
    return lines


HEADER = """# abmtier benchmark results

Generated by `bench/run.sh` (see `bench/README.md` for what each tool does
and how the peers reproduce abmtier's rules). Each size's section is
replaced when that size is measured again; the machine description is the
one of the latest run; a block between `<!-- notes -->` and
`<!-- /notes -->` is kept as it is.

* Input: `bench/gen_accounts` exports (13 columns, about one owner per 5,000
  accounts), read from the page cache (each file is read once before timing).
* Config: `bench/bench.json` (per-owner capacity: tier 1 8, tier 2 60 per rep,
  tier 3 uncapped; default weights, bands, matrix and hysteresis; previous
  tier from the `current tier` column).
* Wall time is the median of the runs; peak RSS is the largest of the runs
  (GNU time `-v`); MB/s counts the input file's bytes (10^6); "x floor" is
  the wall time over the parse floor's. Tools run interleaved (run 1 of
  every tool, then run 2, ...) so a busy moment hits all of them.
* "same as abmtier" compares the tier counts (abmtier's from its `--summary`
  JSON: `tiers.<t>.count`) and the rows read; before timing, run.sh also
  checks the peers account by account (tier, waitlist tier, waitlist rank)
  against abmtier's CSV on a small export.
"""


def update_results(args, lines):
    path = args.results
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    sections = dict(
        (int(m.group(1)), m.group(0))
        for m in re.finditer(r"^<!-- size (\d+) -->$.*?^<!-- /size \1 -->$", old, re.S | re.M))
    sections[args.size] = "\n".join(lines)
    notes = re.search(r"^<!-- notes -->$.*?^<!-- /notes -->$", old, re.S | re.M)
    body = [HEADER, "## Machine", "", *machine(), ""]
    if notes:  # hand-written observations survive a re-run
        if "\n## Machine\n" in notes.group(0):
            # A hand edit that left the notes' end marker out would make the
            # next run keep a second header and machine section as "notes".
            sys.exit(f"{path}: the notes block holds a '## Machine' section; put its "
                     "'<!-- /notes -->' line back where the notes end and run again")
        body += [notes.group(0), ""]
    for size in sorted(sections):
        body.append(sections[size])
        body.append("")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(body))
    os.replace(path + ".tmp", path)


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "verify":
        return verify(*sys.argv[2:5])
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["section"])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--input", required=True)
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--tools", required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--note", default="")
    parser.add_argument("--skipped", default="")
    parser.add_argument("--load-before", default="?")
    parser.add_argument("--load-after", default="?")
    return section(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
