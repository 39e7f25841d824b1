"""Runs `hotline serve` (release) under the load generator, on loopback, and prints the figures:

1. line events per second through one TCP connection, and the command latency percentiles
   (from the event that asks for a command to the command), median of several runs;
2. resident memory of one server process with 10,000 calls in progress at once;
3. durable case registrations per second (each acknowledged only after its commit), against a
   reference in the same script: SQLite in the same mode (WAL, synchronous=FULL) with one
   transaction per registration, as a server without group commit would write them.

The store lives under tools/load/.work (a real disk, not a tmpfs).
"""
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
server_bin, load_bin = sys.argv[1], sys.argv[2]
quick = "--quick" in sys.argv
RUNS = 3 if quick else 5
work = os.path.join(here, ".work")


def serve(port, *extra):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    p = subprocess.Popen(
        [server_bin, "serve", "--listen", f"tcp:127.0.0.1:{port}", "--store", os.path.join(work, "cases.sqlite"),
         "--wrap-up", "0", "--quiet", *extra],
        cwd=root, stderr=subprocess.PIPE)
    time.sleep(1.0)
    return p


def stop(p):
    p.terminate()
    p.wait(timeout=30)


def load(port, *args):
    out = subprocess.run([load_bin, f"tcp:127.0.0.1:{port}", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")


report = {}

# 1. Throughput and latency through one connection.
p = serve(4701)
rates, p99s, p50s, cpus = [], [], [], []
for _ in range(RUNS):
    before = cpu_seconds(p.pid)
    r = load(4701, "--calls", "100000", "--concurrency", "32", "--operators", "400")
    cpus.append((cpu_seconds(p.pid) - before) / r["line_events"] * 1e6)
    rates.append(r["events_per_s"])
    p99s.append(r["latency_ms"]["p99"])
    p50s.append(r["latency_ms"]["p50"])
stop(p)
report["events_per_s"] = statistics.median(rates)
report["latency_p50_ms"] = statistics.median(p50s)
report["latency_p99_ms"] = statistics.median(p99s)
report["server_cpu_us_per_event"] = round(statistics.median(cpus), 2)
report["runs"] = {"events_per_s": rates, "p99_ms": p99s}

# 2. 10,000 calls in progress at once.
p = serve(4702)
hold = subprocess.Popen([load_bin, "tcp:127.0.0.1:4702", "--calls", "10000", "--operators", "400", "--hold"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
held = json.loads(hold.stdout.readline())
time.sleep(0.5)
rss, hwm = rss_mib(p.pid)
hold.stdin.write("\n")
hold.stdin.flush()
hold.wait(timeout=30)
stop(p)
report["calls_in_progress"] = held["calls_in_progress"]
report["rss_mib_with_10000_calls"] = round(rss, 1)
report["peak_rss_mib"] = round(hwm, 1)

# 3. Durable registrations per second, and the reference without group commit.
regs = []
for _ in range(RUNS):
    p = serve(4703)
    r = load(4703, "--calls", "20000", "--concurrency", "128", "--operators", "400", "--action", "work_order")
    stop(p)
    regs.append(r["registrations_per_s"])
report["registrations_per_s"] = statistics.median(regs)
report["runs"]["registrations_per_s"] = regs

db_path = os.path.join(work, "reference.sqlite")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(db_path + suffix):
        os.remove(db_path + suffix)
db = sqlite3.connect(db_path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE cases (id TEXT PRIMARY KEY, value TEXT)")
db.execute("CREATE TABLE audit (seq INTEGER PRIMARY KEY, case_id TEXT, detail TEXT)")
n = 2000
start = time.perf_counter()
for i in range(n):
    db.execute("BEGIN")
    db.execute("INSERT INTO cases VALUES (?, ?)", (f"c{i}", "x" * 900))
    db.execute("INSERT INTO audit (case_id, detail) VALUES (?, ?)", (f"c{i}", "{}"))
    db.execute("COMMIT")
report["reference_one_commit_per_registration_per_s"] = round(n / (time.perf_counter() - start))
db.close()
shutil.rmtree(work, ignore_errors=True)

print(json.dumps(report, indent=2))
print(f"{report['events_per_s']:,.0f} line events/s, p99 {report['latency_p99_ms']} ms; "
      f"{report['rss_mib_with_10000_calls']} MiB with {report['calls_in_progress']} calls; "
      f"{report['registrations_per_s']:,.0f} durable registrations/s "
      f"(one commit each: {report['reference_one_commit_per_registration_per_s']:,.0f}/s)", file=sys.stderr)
