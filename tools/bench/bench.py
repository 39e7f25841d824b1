"""Times hotline simulate against the SimPy model of the same queue, in one run on one machine.

Figures: callers per CPU-second of each (median of several runs, CPU time of the child process, so
start-up and model loading count against hotline), their ratio; a year of the bundled Mudanjiang model
(CPU seconds, median); peak resident memory of a year and of ten years (the simulator keeps no per-call
records, so memory must not grow with the horizon).
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
binary = sys.argv[1]
quick = "--quick" in sys.argv
CALLERS = 1_000_000
# 1,000 calls an hour: 1,000,000 callers arrive in about 41.7 days.
DAYS_FOR_MILLION = 42
RUNS = 3 if quick else 7


def child(cmd):
    """Runs a command; returns (stdout, CPU seconds, wall seconds, peak RSS in MiB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=root).stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out, cpu, wall, after.ru_maxrss / 1024


def peak_rss(cmd):
    """Peak RSS of one process, via /usr/bin/time if present, else the children's maximum."""
    if os.path.exists("/usr/bin/time"):
        r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, check=True, capture_output=True, text=True, cwd=root)
        return int(r.stderr.strip().splitlines()[-1]) / 1024
    return child(cmd)[3]


def interleaved_rates():
    """Runs hotline and SimPy in alternation, so that both meet the same load on a shared machine;
    returns the median callers per CPU-second of each, and the last figures of each."""
    ours_cmd = [binary, "simulate", "--model", "Scenarios/bench/erlang-a.yaml", "--days", str(DAYS_FOR_MILLION), "--json", "--quiet"]
    theirs_cmd = [sys.executable, os.path.join(here, "simpy_erlang_a.py"), str(CALLERS)]
    fast, slow, ours, theirs = [], [], None, None
    for _ in range(RUNS):
        out, cpu, _, _ = child(ours_cmd)
        ours = json.loads(out)
        fast.append(ours["offered"] / cpu)
        out, cpu, _, _ = child(theirs_cmd)
        theirs = json.loads(out)
        slow.append(theirs["callers"] / cpu)
    return statistics.median(fast), statistics.median(slow), ours, theirs, fast, slow


def year_cpu():
    cmd = [binary, "simulate", "--days", "365", "--json", "--quiet"]
    cpus = [child(cmd)[1] for _ in range(RUNS)]
    return statistics.median(cpus)


fast, slow, ours, theirs, fast_runs, slow_runs = interleaved_rates()
year = year_cpu()
rss_year = peak_rss([binary, "simulate", "--days", "365", "--json", "--quiet"])
rss_ten = peak_rss([binary, "simulate", "--days", "3650", "--json", "--quiet"])
report = {
    "hotline_callers_per_cpu_s": round(fast),
    "simpy_callers_per_cpu_s": round(slow),
    "ratio": round(fast / slow, 1),
    "hotline_offered": ours["offered"],
    "simpy_callers": theirs["callers"],
    "agreement": {
        "service_level": [round(ours["service_level"], 4), round(theirs["service_level"], 4)],
        "abandon_rate": [round(ours["abandon_rate"], 4), round(theirs["abandon_rate"], 4)],
        "mean_wait_s": [round(ours["mean_wait_s"], 3), round(theirs["mean_wait_s"], 3)],
    },
    "mudanjiang_year_cpu_s": round(year, 3),
    "peak_rss_mib_one_year": round(rss_year, 1),
    "peak_rss_mib_ten_years": round(rss_ten, 1),
    "runs": RUNS,
    "hotline_runs": [round(x) for x in fast_runs],
    "simpy_runs": [round(x) for x in slow_runs],
}
print(json.dumps(report, indent=2))
print(f"hotline {fast:,.0f} callers/CPU-s, SimPy {slow:,.0f} callers/CPU-s: {fast / slow:.0f} times", file=sys.stderr)
print(f"a year of Mudanjiang: {year:.3f} CPU-s; peak RSS {rss_year:.1f} MiB (1 year), {rss_ten:.1f} MiB (10 years)", file=sys.stderr)
