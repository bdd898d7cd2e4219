"""Mail-merge benchmark: letters per second with 1 and 2 jobs, and peak memory, for N generated recipients.

    .venv/bin/python benchmarks/letters_bench.py            # N = 2,000
    .venv/bin/python benchmarks/letters_bench.py --n 100000 # the issue's figure (takes a while)

Recipients are generated (fake names), written to a temporary folder outside the repository, and merged
for the MassMutual incident with the repository's templates and jurisdictions. Each run starts from an
empty output folder. Peak memory is the largest resident set of the merging process and of any worker.
A benchmark, not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INCIDENT = ROOT / "incidents" / "2007-08-10-massmutual-misdirected-email.yaml"
FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Radia", "Ken", "Sophie", "Tim"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Perlman", "Thompson"]
STATES = ["NC", "TX", "NY", "FL", "WA", "IL", "GA", "PA"]  # states whose required content the default letter has


def generate(path: Path, n: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "address1", "address2", "city", "state", "zip"])
        for i in range(n):
            out.writerow([f"{FIRST[i % 12]} {LAST[(i // 12) % 10]}", f"{100 + i} Oak Street",
                          "Apt 4" if i % 5 == 0 else "", "Springfield", STATES[i % len(STATES)], f"{(10000 + i) % 100000:05d}"])


def run(n: int, jobs: int, recipients: Path, work: Path) -> None:
    """One merge in a fresh process, so peak memory is this merge's alone."""
    from breachdocs.letters.merge import merge_letters
    from breachdocs.project import Project
    from breachdocs.records import load_incident

    project = Project(ROOT)
    incident, findings = load_incident(INCIDENT)
    assert incident is not None, findings
    out = work / f"out-{jobs}"
    start, cpu_start = time.perf_counter(), _cpu()
    result = merge_letters(project, incident, recipients, out, jobs=jobs)
    elapsed, cpu = time.perf_counter() - start, _cpu() - cpu_start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"jobs={jobs}: {result.written:,} letters in {elapsed:.1f} s = {result.written / elapsed:,.0f} letters/s "
          f"wall; {result.written / cpu:,.0f} letters per CPU-second (per core, whatever else loads the machine); "
          f"peak memory {own:,.0f} MiB (merge), {workers:,.0f} MiB (largest worker)", flush=True)


def _cpu() -> float:
    """CPU seconds of this process and its finished workers."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="number of recipients (default 2,000)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="job counts to measure (default 1 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="letters-bench-") as tmp:
        work = Path(tmp)
        recipients = work / "recipients.csv"
        generate(recipients, args.n)
        print(f"{args.n:,} recipients; {multiprocessing.cpu_count()} CPU(s); python {sys.version.split()[0]}")
        for jobs in args.jobs:
            process = multiprocessing.get_context("spawn").Process(target=run, args=(args.n, jobs, recipients, work))
            process.start()
            process.join()


if __name__ == "__main__":
    main()
