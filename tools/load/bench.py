"""Runs `hotline serve` (release) under the load generator, on loopback, and prints the figures:

1. line events per second through one TCP connection, and the command latency percentiles
   (from the event that asks for a command to the command), median of several runs;
2. resident memory of one server process with 10,000 calls in progress at once;
3. durable case registrations per second (each acknowledged only after its commit), against a
   reference in the same script: SQLite in the same mode (WAL, synchronous=FULL) with one
   transaction per registration, as a server without group commit would write them;
4. fairness: with 100,000 open cases, one unit floods `cases` requests (pages of 100, pipelined)
   while another peer pings every 2 ms: the ping's round trip, p50 and p99, against the same pings
   with nobody flooding;
5. a simulated day and a simulated week of the bundled model through `hotline drive` (wall time).

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

# 4. Fairness: ping latency while a unit floods `cases` with 100,000 cases open.
import multiprocessing
import socket


def client(port, hello):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    f = s.makefile("rb")
    s.sendall((json.dumps(hello) + "\n").encode())
    f.readline()
    return s, f


def pings(port, seconds):
    s, f = client(port, {"event": "hello", "role": "desktop", "name": "pinger"})
    rtts = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.perf_counter()
        s.sendall(b'{"event":"ping"}\n')
        while json.loads(f.readline()).get("reply") != "pong":
            pass
        rtts.append((time.perf_counter() - t) * 1000)
        time.sleep(0.002)
    s.close()
    rtts.sort()
    return rtts[len(rtts) // 2], rtts[int(len(rtts) * 0.99)], len(rtts)


p = serve(4704)
before = time.perf_counter()
load(4704, "--calls", "100000", "--concurrency", "256", "--operators", "400", "--action", "work_order")
report["fairness_open_cases"] = 100000
report["fairness_setup_s"] = round(time.perf_counter() - before, 1)
report["ping_ms_quiet_p50_p99"] = pings(4704, 3)[:2]


def flood(port, seconds, counter):
    # In a process of its own: the pinger measures the server, not this process's interpreter lock.
    s, f = client(port, {"event": "hello", "role": "unit", "unit": "urban"})
    after = None
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        for _ in range(50):
            req = {"event": "cases", "limit": 100}
            if after:
                req["after"] = after
            s.sendall((json.dumps(req) + "\n").encode())
        for _ in range(50):
            line = f.readline()
            i = line.find(b'"next":"')
            after = line[i + 8:line.index(b'"', i + 8)].decode() if i >= 0 else None
            counter.value += 1
    s.close()


counter = multiprocessing.Value("i", 0)
flooder = multiprocessing.Process(target=flood, args=(4704, 6.5, counter))
flooder.start()
time.sleep(0.5)
p50, p99, n = pings(4704, 5)
flooder.join()
stop(p)
report["ping_ms_under_flood_p50_p99"] = [p50, p99]
report["flood_pages_served"] = counter.value
shutil.rmtree(work, ignore_errors=True)

# 5. A simulated day and week through the server, checked against the simulator.
for days, key in ((1, "drive_day_s"), (7, "drive_week_s")):
    times = []
    for _ in range(1 if quick else 3):
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        srv = subprocess.Popen(
            [server_bin, "serve", "--listen", "tcp:127.0.0.1:4705", "--store", os.path.join(work, "d.sqlite"),
             "--clock", "manual", "--start-at", "2026-01-05T00:00", "--wrap-up", "desktop", "--quiet"], cwd=root)
        time.sleep(1.0)
        out = subprocess.run([server_bin, "drive", "--connect", "tcp:127.0.0.1:4705", "--days", str(days),
                              "--start", "2026-01-05", "--json", "--quiet"], cwd=root, capture_output=True, text=True)
        stop(srv)
        d = json.loads(out.stdout)
        assert d["passed"], d["mismatches"][:5]
        times.append(round(d["wall_s"], 2))
    report[key] = statistics.median(times)
    report["runs"][key] = times
    report[f"drive_{days}_days_calls"] = d["calls_offered"]
shutil.rmtree(work, ignore_errors=True)

print(json.dumps(report, indent=2))
print(f"{report['events_per_s']:,.0f} line events/s, p99 {report['latency_p99_ms']} ms; "
      f"{report['rss_mib_with_10000_calls']} MiB with {report['calls_in_progress']} calls; "
      f"{report['registrations_per_s']:,.0f} durable registrations/s "
      f"(one commit each: {report['reference_one_commit_per_registration_per_s']:,.0f}/s); "
      f"ping p99 {report['ping_ms_under_flood_p50_p99'][1]:.2f} ms under a cases flood with 100,000 open; "
      f"a day through drive {report['drive_day_s']} s, a week {report['drive_week_s']} s", file=sys.stderr)
