"""Run the benchmarks: ``python -m benchmarks.run`` (``make bench``).

Every measurement runs alone in a child process, so its peak memory
(``ru_maxrss`` from ``os.wait4``) is its own; breachdocs and the plain tool it is
compared with run one after the other in the same run, and the table shows
their ratio. Data is generated first (seeded) into ``--workdir`` and reused.

Default sizes finish in a few minutes on 2 cores; ``--full`` uses the full
sizes (10,000 incidents validated, sites of 1,000 and 5,000 incidents, 1,000
forms each way, 100,000 letters), ``--quick`` small ones for a smoke run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .form_values import NC_FORM
from .generate import ROOT, link_shared, write_project, write_recipients

#: Where the committed results live; a run writes there only when asked (``--json benchmarks/results.json``).
RESULTS = Path(__file__).resolve().parent / "results.json"
#: Generated data is reused while the generator is unchanged.
GENERATOR = hashlib.sha256(b"".join((Path(__file__).parent / n).read_bytes()
                                    for n in ("generate.py", "population.py"))).hexdigest()[:8]
MARK = "BENCH-RESULT "
UNAVAILABLE = "BENCH-UNAVAILABLE "


# --- child side ----------------------------------------------------------------------------------------

def child(name: str, params: str) -> int:
    from .measures import MEASURES, Unavailable

    try:
        result = MEASURES[name](json.loads(params))
    except Unavailable as exc:
        print(UNAVAILABLE + str(exc), flush=True)
        return 3
    print(MARK + json.dumps(result), flush=True)
    return 0


# --- parent side ---------------------------------------------------------------------------------------

@dataclass
class Measured:
    name: str
    ok: bool
    seconds: float = 0.0
    peak_mb: float = 0.0
    figures: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    load_before: float = 0.0  # 1-minute load average when it started: how busy the machine was


def measure(name: str, **params: Any) -> Measured:
    """Run one measurement in a fresh interpreter; its time, its peak resident memory, its figures."""
    load = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, "-m", "benchmarks.run", "--child", name, json.dumps(params)],
                                stdout=out, stderr=err, cwd=ROOT, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    peak = usage.ru_maxrss / 1024  # Linux: kilobytes
    for line in stdout.splitlines():
        if line.startswith(MARK):
            figures = json.loads(line[len(MARK):])
            return Measured(name, True, figures.pop("seconds"), peak, figures, load_before=load)
        if line.startswith(UNAVAILABLE):
            return Measured(name, False, note=line[len(UNAVAILABLE):])
    tail = (stderr.strip().splitlines() or ["no output"])[-1]
    return Measured(name, False, note=f"failed (exit {proc.returncode}): {tail}")


@dataclass
class Row:
    """One line of the table: breachdocs against a baseline at one size."""

    what: str
    size: int
    unit: str
    breachdocs: Measured
    baseline: Measured | None = None
    baseline_name: str = ""
    target: str = ""
    met: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    show_rate: bool = True

    @property
    def ratio(self) -> float | None:
        """Seconds per item of breachdocs over those of the baseline (they may do different counts)."""
        return self._ratio("seconds")

    @property
    def cpu_ratio(self) -> float | None:
        """The same in CPU seconds: steadier than wall time on a shared machine."""
        return self._ratio("cpu_seconds")

    def _ratio(self, key: str) -> float | None:
        mine, base = self.breachdocs, self.baseline
        if not (base and base.ok and mine.ok):
            return None
        a = (mine.seconds if key == "seconds" else mine.figures.get(key)) or 0.0
        b = (base.seconds if key == "seconds" else base.figures.get(key)) or 0.0
        if not a or not b:
            return None
        return (a / mine.figures.get("items", self.size)) / (b / base.figures.get("items", self.size))

    @property
    def rate(self) -> float | None:
        m = self.breachdocs
        if not self.show_rate or not m.ok or not m.seconds:
            return None
        return m.figures.get("items", self.size) / m.seconds

    def as_json(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if k not in ("breachdocs", "baseline")}
        out["breachdocs"] = asdict(self.breachdocs)
        out["baseline"] = asdict(self.baseline) if self.baseline else None
        out["ratio"] = self.ratio
        out["cpu_ratio"] = self.cpu_ratio
        out["rate_per_s"] = self.rate
        return out


class Bench:
    def __init__(self, workdir: Path, seed: int):
        self.workdir = workdir
        self.seed = seed
        self.rows: list[Row] = []

    def log(self, text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    def project(self, incidents: int) -> Path:
        folder = self.workdir / f"project-{incidents}-seed{self.seed}-{GENERATOR}"
        done = folder / ".generated"
        if not done.exists():
            self.log(f"generating {incidents:,} incidents in {folder}")
            write_project(folder, incidents, self.seed)
            done.write_text("ok\n")
        link_shared(folder)  # stages landed since the data was generated
        return folder

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        b = row.breachdocs
        shown = f"{b.seconds:.2f} s, {b.peak_mb:.0f} MB" if b.ok else b.note
        if row.baseline is not None:
            base = row.baseline
            shown += f" | {row.baseline_name}: " + (f"{base.seconds:.2f} s, {base.peak_mb:.0f} MB" if base.ok else base.note)
        self.log(f"{row.what} @ {row.size:,}: {shown}")
        return row

    # -- scenarios --

    def validation(self, sizes: list[int]) -> None:
        for n in sizes:
            root = str(self.project(n))
            mine = measure("validate_breachdocs", root=root)
            for base_name, label in (("validate_safe_load", "yaml.safe_load"), ("validate_csafe_load", "yaml CSafeLoader")):
                self.add(Row("validate incidents", n, "incidents", mine, measure(base_name, root=root), label))

    def site(self, sizes: list[int]) -> None:
        from .plain_site import write_plain_site

        for n in sizes:
            project = self.project(n)
            plain = self.workdir / f"plain-site-{n}-seed{self.seed}-{GENERATOR}"
            if not (plain / "mkdocs.yml").exists():
                self.log(f"writing {n:,} plain pages in {plain}")
                write_plain_site(project, plain)
            base = measure("site_plain", folder=str(plain), items=n)
            cold = measure("site_breachdocs", root=str(project), items=n, cold=True)
            mine = measure("site_breachdocs", root=str(project), items=n)  # again: caches warm, as in daily use
            dump = measure("site_dump", root=str(project))
            same = (measure("site_same_pages", config=dump.figures["config"], items=n) if dump.ok
                    else Measured("site_same_pages", False, note=dump.note))
            row = Row("site build", n, "incidents", mine, same, "MkDocs, same pages as files",
                      "<= 1.5x plain MkDocs")
            if row.cpu_ratio is not None:
                row.met = row.cpu_ratio <= 1.5
            row.extra = {"site MB": _mb(mine.figures.get("site_bytes")),
                         "same-pages site MB": _mb(same.figures.get("site_bytes"))}
            self.add(row)
            first = Row("site build, first (empty caches)", n, "incidents", cold, same, "MkDocs, same pages as files",
                        "<= 1.2x same pages (CPU)")
            if first.cpu_ratio is not None:
                first.met = first.cpu_ratio <= 1.2
            self.add(first)
            generic = Row("site build (vs generic pages)", n, "incidents", mine, base, "MkDocs, generic plain pages",
                          "<= 3x generic pages (CPU)")
            if generic.cpu_ratio is not None:
                generic.met = generic.cpu_ratio <= 3
            generic.extra = {"plain site MB": _mb(base.figures.get("site_bytes"))}
            self.add(generic)

    def forms(self, count: int, pdftk_count: int, form: Path) -> None:
        from .form_values import write_form_inputs

        project = self.project(max(count // 5, 100))
        inputs = self.workdir / f"form-inputs-{count}-seed{self.seed}-{GENERATOR}"
        if not form.exists():
            self.add(Row("fill NC forms", count, "forms",
                         Measured("forms_breachdocs", False, note=f"{NC_FORM}: no such form in the project")))
            return
        values, xfdf = write_form_inputs(project, inputs, count)
        out = self.workdir / "forms-out"
        mine = measure("forms_breachdocs", root=str(project), out=str(out / "breachdocs"), count=count)
        bare = measure("forms_pypdf", form=str(form), values=str(values), out=str(out / "pypdf"), count=count)
        row = Row("fill NC forms", count, "forms", mine, bare, "bare pypdf", "<= 1.3x bare pypdf, >= 100 forms/s")
        cpu = mine.figures.get("cpu_seconds") if mine.ok else None
        if row.cpu_ratio is not None and cpu:
            row.extra = {"forms per CPU-second": mine.figures["items"] / cpu}
            row.met = row.cpu_ratio <= 1.3 and mine.figures["items"] / cpu >= 100
        self.add(row)
        two = measure("forms_breachdocs", root=str(project), out=str(out / "breachdocs-2jobs"), count=count, jobs=2)
        two_row = Row("fill NC forms, 2 jobs", count, "forms", two, target=">= 100 forms/s (wall)")
        if two.ok and mine.ok and two.seconds:
            two_row.extra = {"speed-up over 1 job (wall)": mine.seconds / two.seconds,
                             "forms per CPU-second": two.figures["items"] / two.figures["cpu_seconds"]}
            two_row.met = two.figures["items"] / two.seconds >= 100
        self.add(two_row)
        if pdftk_count:
            tk = measure("forms_pdftk", form=str(form), xfdf=str(xfdf), out=str(out / "pdftk"), count=pdftk_count)
            tk_row = Row("fill NC forms (vs pdftk)", count, "forms", mine, tk, f"pdftk fill_form ({pdftk_count} runs)")
            if tk.ok and mine.ok:  # compare per form: pdftk ran on a subset
                tk.figures["seconds_per_form"] = tk.seconds / pdftk_count
                tk_row.extra = {"pdftk_forms_per_s": pdftk_count / tk.seconds}
            self.add(tk_row)
        mine_small = measure("forms_breachdocs", root=str(project), out=str(out / "breachdocs-small"),
                             count=max(1, count // 10))
        self.flatness("form fill", count // 10, mine_small, count, mine)

    def letters(self, recipients: int) -> None:
        project = self.project(100)
        csv_file = self.workdir / f"recipients-{recipients}-seed{self.seed}-{GENERATOR}.csv"
        if not csv_file.exists():
            self.log(f"writing {recipients:,} recipients")
            write_recipients(csv_file, recipients, self.seed)
        small_csv = self.workdir / f"recipients-{recipients // 10}-seed{self.seed}-{GENERATOR}.csv"
        if not small_csv.exists():
            write_recipients(small_csv, recipients // 10, self.seed)
        results: dict[int, Row] = {}
        for jobs in (1, 2):
            out = self.workdir / f"letters-out-{jobs}"
            m = measure("letters_breachdocs", root=str(project), recipients=str(csv_file), out=str(out), jobs=jobs)
            row = Row(f"letters, {jobs} job{'s' if jobs > 1 else ''}", recipients, "letters", m,
                      target=">= 150 letters per CPU-second")
            cpu = m.figures.get("cpu_seconds") if m.ok else None
            if cpu:
                # per core: letters over the CPU seconds of the merge and its workers; wall-clock
                # rates depend on how many of the 2 shared cores other work leaves free
                row.extra = {"letters_per_cpu_second": m.figures["items"] / cpu}
                row.met = m.figures["items"] / cpu >= 150
            if jobs == 2 and results.get(1) and results[1].rate and row.rate:
                row.extra["speedup_over_1_job"] = row.rate / results[1].rate
            results[jobs] = self.add(row)
        small = measure("letters_breachdocs", root=str(project), recipients=str(small_csv),
                        out=str(self.workdir / "letters-out-small"), jobs=1)
        self.flatness("letters (1 job)", recipients // 10, small, recipients, results[1].breachdocs)

    def rebuild(self, incidents: int) -> None:
        project = self.project(incidents)
        m = measure("rebuild_filings", root=str(project))
        row = Row("rebuild filings after 1 change", incidents, "incidents", m, target="< 2 s", show_rate=False)
        if m.ok:
            row.met = m.seconds < 2
            f = m.figures
            row.extra = {"with_validation_seconds": f["validate_seconds"] + m.seconds,
                         "cold_build_seconds": f["cold_seconds"], "rendered": f["rendered"], "reused": f["reused"]}
        self.add(row)

    def flatness(self, what: str, small_n: int, small: Measured, big_n: int, big: Measured) -> None:
        row = Row(f"memory: {what}", big_n, "items", big, small, f"same at {small_n:,}", "flat (< 1.2x for 10x input)")
        if small.ok and big.ok:
            growth = big.peak_mb / small.peak_mb
            row.extra = {"memory_growth": growth, "small_peak_mb": small.peak_mb}
            row.met = growth < 1.2
        self.add(row)


def _mb(value: Any) -> float | None:
    return round(value / 1e6, 1) if isinstance(value, int) else None


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import mkdocs
    import pypdf
    import yaml

    return {
        "cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "platform": platform.platform(),
        "mkdocs": mkdocs.__version__, "pypdf": pypdf.__version__, "pyyaml": yaml.__version__,
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
        "load_average": os.getloadavg()[0],
    }


def table(rows: list[Row], *, markdown: bool = False) -> str:
    head = ("measurement", "size", "breachdocs", "baseline", "ratio", "cpu ratio", "rate/s", "peak MB", "target", "met",
            "notes")
    lines = [head]
    for r in rows:
        b = r.breachdocs
        base = r.baseline
        if r.what.startswith("memory:"):
            growth = r.extra.get("memory_growth")
            lines.append((r.what, f"{r.size:,}", f"{b.peak_mb:.0f} MB" if b.ok else "n/a",
                          f"{base.peak_mb:.0f} MB {r.baseline_name}" if base and base.ok else "n/a",
                          f"{growth:.2f}x" if growth else "", "", "", "", r.target, _met(r.met), ""))
            continue
        lines.append((
            r.what, f"{r.size:,}",
            f"{b.seconds:.2f} s" if b.ok else _short(b.note),
            (f"{base.seconds:.2f} s {r.baseline_name}" if base.ok else f"{r.baseline_name}: {_short(base.note)}")
            if base else "",
            f"{r.ratio:.2f}x" if r.ratio is not None else "",
            f"{r.cpu_ratio:.2f}x" if r.cpu_ratio is not None else "",
            f"{r.rate:,.0f}" if r.rate is not None else "",
            f"{b.peak_mb:.0f}" + (f" / {base.peak_mb:.0f}" if base and base.ok else "") if b.ok else "",
            r.target, _met(r.met), _notes(r.extra),
        ))
    if markdown:
        cells = [[str(c).replace("|", "/") for c in line] for line in lines]
        out = ["| " + " | ".join(c) + " |" for c in cells]
        out.insert(1, "|" + "---|" * len(head))
        return "\n".join(out)
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    out = ["  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def _notes(extra: dict[str, Any]) -> str:
    def shown(v: Any) -> str:
        return f"{v:,.2f}" if isinstance(v, float) else str(v)

    return ", ".join(f"{k.replace('_', ' ')} {shown(v)}" for k, v in extra.items() if v is not None)


def _short(note: str) -> str:
    return "n/a: " + (note if len(note) < 60 else note[:57] + "...")


def _met(met: bool | None) -> str:
    return {True: "yes", False: "NO", None: ""}[met]


SIZES = {
    "quick": {"validate": [100, 1000], "site": [100], "forms": 50, "pdftk": 5, "letters": 300, "rebuild": 100},
    "default": {"validate": [300, 3000], "site": [300], "forms": 500, "pdftk": 20, "letters": 3000, "rebuild": 500},
    "full": {"validate": [1000, 10000], "site": [300, 1000, 5000], "forms": 1000, "pdftk": 1000, "letters": 100000,
             "rebuild": 1000},
}
SCENARIOS = ("validate", "site", "forms", "letters", "rebuild")


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--child":
        return child(sys.argv[2], sys.argv[3])
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small sizes, a smoke run of a minute or two")
    size.add_argument("--full", action="store_true", help="the full sizes (about 15-30 minutes on 2 cores)")
    parser.add_argument("--only", default=",".join(SCENARIOS), help=f"comma-separated subset of {','.join(SCENARIOS)}")
    parser.add_argument("--validate", type=lambda s: [int(x) for x in s.split(",")], help="incident counts, e.g. 10000")
    parser.add_argument("--site", type=lambda s: [int(x) for x in s.split(",")], help="incident counts, e.g. 1000,5000")
    parser.add_argument("--forms", type=int, help="forms to fill each way")
    parser.add_argument("--pdftk", type=int, help="pdftk runs (one JVM each; 0 to skip)")
    parser.add_argument("--letters", type=int, help="recipients to merge (and a tenth for the memory check)")
    parser.add_argument("--rebuild", type=int, help="incidents in the one-change rebuild")
    parser.add_argument("--form", type=Path, help="the NC form PDF for the baselines (default: the project's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "breachdocs-bench")
    parser.add_argument("--json", type=Path, default=None,
                        help="where to write the results (default WORKDIR/results.json, outside the work tree; "
                             f"{RESULTS.relative_to(ROOT)} to update the committed figures)")
    args = parser.parse_args(argv)
    sizes = dict(SIZES["quick" if args.quick else "full" if args.full else "default"])
    for key in ("validate", "site", "forms", "pdftk", "letters", "rebuild"):
        if getattr(args, key) is not None:
            sizes[key] = getattr(args, key)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}; choose from {', '.join(SCENARIOS)}")

    args.workdir.mkdir(parents=True, exist_ok=True)
    args.json = args.json or args.workdir / "results.json"
    bench = Bench(args.workdir, args.seed)
    started = time.time()
    if "validate" in only:
        bench.validation(sizes["validate"])
    if "site" in only:
        bench.site(sizes["site"])
    if "forms" in only:
        bench.forms(sizes["forms"], sizes["pdftk"], args.form or ROOT / NC_FORM)
    if "letters" in only:
        bench.letters(sizes["letters"])
    if "rebuild" in only:
        bench.rebuild(sizes["rebuild"])
    if "validate" in only and len(sizes["validate"]) > 1:
        rows = [r for r in bench.rows if r.what == "validate incidents" and r.baseline_name == "yaml.safe_load"]
        bench.flatness("validate", rows[0].size, rows[0].breachdocs, rows[-1].size,
                       rows[-1].breachdocs)

    print(table(bench.rows))
    report = {
        "machine": machine(), "sizes": sizes, "seed": args.seed, "total_seconds": round(time.time() - started, 1),
        "rows": [r.as_json() for r in bench.rows],
    }
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    info = report["machine"]
    args.json.with_suffix(".md").write_text(
        f"Run of {time.strftime('%Y-%m-%d %H:%M', time.gmtime(started))} UTC, {info['cpus']} CPUs ({info['cpu']}), "
        f"Python {info['python']}, load average {info['load_average']:.1f} at the start, "
        f"{report['total_seconds']:.0f} s in all. Sizes: {json.dumps(sizes)}.\n\n"
        + table(bench.rows, markdown=True) + "\n", encoding="utf-8")
    print(f"\nwritten {args.json} and {args.json.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
