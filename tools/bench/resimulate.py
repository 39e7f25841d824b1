#!/usr/bin/env python3
"""Independent re-simulation of a `hotline staff --json` staffing plan (standard library only).

Written from the model description alone, sharing no code with the Swift simulator:
  * Poisson arrivals, rate piecewise constant per half hour: CALLS_PER_DAY calls a day shaped by the
    24 hourly weights below (the anchor model's), each hour's weight split equally over its two
    half hours, normalised so the day sums to CALLS_PER_DAY;
  * exponential talk (mean --talk s, no after-call work), exponential patience (mean --patience s):
    a caller not answered within its patience hangs up;
  * one FIFO queue; operators come from the plan's `shifts` (count operators from start for hours,
    minus breaks); at a shift end or break start a busy operator finishes the current call, then
    leaves without taking another; an idle call is given to the operator idle longest;
  * the day is repeated --days times (after --warmup discarded days), queue carried over midnight;
    one extra day is simulated after the last recorded one so that late callers are resolved.

Service level of an interval = callers arriving in it answered with wait <= threshold / callers
arriving in it (abandoned callers count as not answered in time). The estimate is the ratio
sum(in time) / sum(arrivals) over the recorded days, with a 95 % confidence interval from the
day-to-day variation (days are the batches; delta method for the ratio, Student t quantile).
An interval is flagged when simulated SL < target - half-width.

Also checks that each interval's `scheduled` equals the operators on duty from the shifts at the
start of the interval (breaks excluded), and that the plan's `offered` matches the arrival model.

Usage: python3 tools/bench/resimulate.py PLAN.json [--days N] [--seed S] [--warmup W]
           [--calls-per-day 3000] [--talk 240] [--patience 120] [--threshold S] [--target F]
           [--strict]
--threshold/--target default to the plan's `target`. --strict: exit 1 if any interval is
flagged or any `scheduled` differs (otherwise exit 0 after printing).
"""
import argparse
import heapq
import json
import math
import random
import statistics
import sys
from collections import deque

# The anchor model's hourly profile (tools/bench/anchor/model.yaml), hour 00 .. hour 23.
HOURLY_PROFILE = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.5, 3.5, 6.5, 9.5, 10, 7.5,
                  4.5, 5.5, 8.5, 8, 7, 4.5, 3.5, 3, 2.5, 2, 1, 1]
DAY_S = 86400.0
HALF_HOUR_S = 1800.0


def hhmm_to_min(text):
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def half_hour_rates(calls_per_day):
    """Arrival rate (calls per second) in each of the 48 half hours."""
    total = sum(HOURLY_PROFILE) * 2  # each hour's weight appears in two half hours
    per_half = []
    for w in HOURLY_PROFILE:
        per_half += [w, w]
    # each half hour carries w / total of the day's calls; rate = calls / 1800 s
    return [calls_per_day * w / total / HALF_HOUR_S for w in per_half]


def expected_calls(rates, start_s, end_s):
    """Integral of the piecewise constant rate over [start_s, end_s) within one day."""
    total = 0.0
    for k, r in enumerate(rates):
        a, b = k * HALF_HOUR_S, (k + 1) * HALF_HOUR_S
        lo, hi = max(a, start_s), min(b, end_s)
        if hi > lo:
            total += r * (hi - lo)
    return total


def duty_periods(shift):
    """On-duty periods of one operator of a shift, as (on_min, off_min) offsets from the day's
    midnight of the shift's start (off may exceed 1440 if a shift crossed midnight)."""
    start = hhmm_to_min(shift["start"])
    length = int(round(float(shift["hours"]) * 60))
    end = start + length
    breaks = []
    for b in shift.get("breaks") or []:
        rel = (hhmm_to_min(b["start"]) - start) % 1440
        bs = start + rel
        be = bs + int(round(float(b["minutes"])))
        if rel >= length or be > end:
            raise ValueError(f"break {b} outside shift {shift.get('name', shift['start'])}")
        breaks.append((bs, be))
    breaks.sort()
    periods, t = [], start
    for bs, be in breaks:
        if bs < t:
            raise ValueError(f"overlapping breaks in shift {shift.get('name', shift['start'])}")
        if bs > t:
            periods.append((t, bs))
        t = be
    if t < end:
        periods.append((t, end))
    return periods


def on_duty_at(shifts, minute):
    """Operators on duty at clock minute `minute` (breaks excluded), day repeated."""
    n = 0
    for sh in shifts:
        for on, off in duty_periods(sh):
            # the period [on, off) repeats every 1440 min
            if (minute - on) % 1440 < off - on:
                n += int(sh["count"])
                break
    return n


def t_quantile_975(df):
    """Student t 0.975 quantile (Cornish-Fisher expansion; fine for df >= 5)."""
    z = statistics.NormalDist().inv_cdf(0.975)
    if df <= 0:
        return float("inf")
    g1 = (z ** 3 + z) / 4
    g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96
    g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384
    g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160
    return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4


def simulate(plan, rates, days, warmup, seed, talk_mean, patience_mean, threshold):
    interval_s = float(plan["interval_minutes"]) * 60
    n_int = int(round(DAY_S / interval_s))
    total_days = warmup + days + 1  # + 1 trailing day resolves callers of the last recorded day
    rng = random.Random(seed)
    expo = rng.expovariate
    inv_talk, inv_pat = 1.0 / talk_mean, 1.0 / patience_mean

    # per recorded day, per interval: arrivals, answered in time, answered at all
    arrivals = [[0] * n_int for _ in range(days)]
    in_time = [[0] * n_int for _ in range(days)]
    answered = [[0] * n_int for _ in range(days)]

    # operators: one per (shift, copy); state arrays
    op_periods = []
    for sh in plan["shifts"]:
        periods = duty_periods(sh)
        for _ in range(int(sh["count"])):
            op_periods.append(periods)
    n_ops = len(op_periods)
    on = [False] * n_ops       # scheduled on duty now
    busy = [False] * n_ops
    epoch = [0] * n_ops        # invalidates stale idle-queue entries
    idle = deque()             # (op, epoch), longest idle first

    # event kinds; at equal times OFF is handled before ON, then completions, then arrivals
    OFF, ON, DONE, ARRIVE = 0, 1, 2, 3
    events = []
    seq = 0
    for d in range(total_days):
        base = d * DAY_S
        for op, periods in enumerate(op_periods):
            for a, b in periods:
                events.append((base + a * 60.0, ON, seq, op)); seq += 1
                events.append((base + b * 60.0, OFF, seq, op)); seq += 1
    heapq.heapify(events)
    push, pop = heapq.heappush, heapq.heappop

    queue = deque()  # waiting callers: (arrival_time, deadline, day_index or -1, interval)
    end_time = total_days * DAY_S

    def next_arrival(t):
        """Next arrival after t for the piecewise constant rate (memoryless restarts)."""
        while t < end_time:
            k = int((t % DAY_S) // HALF_HOUR_S)
            boundary = (t // HALF_HOUR_S + 1) * HALF_HOUR_S
            r = rates[k % 48]
            if r > 0:
                cand = t + expo(r)
                if cand < boundary:
                    return cand
            t = boundary
        return None

    def serve(op, now, caller):
        arr, _deadline, day, itv = caller
        busy[op] = True
        if day >= 0:
            answered[day][itv] += 1
            if now - arr <= threshold:
                in_time[day][itv] += 1
        nonlocal seq
        push(events, (now + expo(inv_talk), DONE, seq, op)); seq += 1

    def take_from_queue(now):
        """Head of the queue still waiting at `now`, dropping callers who have hung up."""
        while queue:
            c = queue.popleft()
            if c[1] >= now:
                return c
        return None

    def become_available(op, now):
        c = take_from_queue(now)
        if c is not None:
            serve(op, now, c)
        else:
            busy[op] = False
            epoch[op] += 1
            idle.append((op, epoch[op]))

    first = next_arrival(0.0)
    if first is not None:
        push(events, (first, ARRIVE, seq, -1)); seq += 1

    while events:
        now, kind, _s, op = pop(events)
        if now > end_time:
            break
        if kind == ARRIVE:
            day_abs = int(now // DAY_S)
            itv = int((now - day_abs * DAY_S) // interval_s)
            day = day_abs - warmup if warmup <= day_abs < warmup + days else -1
            if day >= 0:
                arrivals[day][itv] += 1
            caller = (now, now + expo(inv_pat), day, itv)
            free = -1
            while idle:
                o, e = idle.popleft()
                if epoch[o] == e and on[o] and not busy[o]:
                    free = o
                    break
            if free >= 0:
                serve(free, now, caller)
            else:
                queue.append(caller)
            nxt = next_arrival(now)
            if nxt is not None:
                push(events, (nxt, ARRIVE, seq, -1)); seq += 1
        elif kind == DONE:
            busy[op] = False
            if on[op]:
                become_available(op, now)
            # else: the shift ended / break began during the call: the operator leaves now
        elif kind == ON:
            on[op] = True
            if not busy[op]:  # a still-busy operator (short break) just carries on
                become_available(op, now)
        else:  # OFF
            on[op] = False
            if not busy[op]:
                epoch[op] += 1  # drop from the idle queue

    return arrivals, in_time, answered


def ratio_ci(num_by_day, den_by_day):
    """Ratio estimate sum(num)/sum(den) with 95 % half-width, days as batches (delta method)."""
    n = len(den_by_day)
    sn, sd = sum(num_by_day), sum(den_by_day)
    if sd == 0:
        return float("nan"), float("nan")
    r = sn / sd
    if n < 2:
        return r, float("inf")
    mean_den = sd / n
    resid = [a - r * b for a, b in zip(num_by_day, den_by_day)]
    var = sum(x * x for x in resid) / (n - 1)
    se = math.sqrt(var / n) / mean_den
    return r, t_quantile_975(n - 1) * se


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("plan", help="JSON from `hotline staff --json`")
    ap.add_argument("--days", type=int, default=200, help="recorded days (default 200)")
    ap.add_argument("--warmup", type=int, default=1, help="discarded leading days (default 1)")
    ap.add_argument("--seed", type=int, default=12345)
    ap.add_argument("--calls-per-day", type=float, default=3000.0)
    ap.add_argument("--talk", type=float, default=240.0, help="mean talk time, s")
    ap.add_argument("--patience", type=float, default=120.0, help="mean patience, s")
    ap.add_argument("--threshold", type=float, default=None, help="s (default: plan's target)")
    ap.add_argument("--target", type=float, default=None, help="SL target (default: plan's)")
    ap.add_argument("--strict", action="store_true", help="exit 1 on any flag or mismatch")
    args = ap.parse_args(argv)
    if args.days < 2:
        ap.error("--days must be at least 2 (days are the batches of the confidence interval)")

    with open(args.plan) as f:
        plan = json.load(f)
    target = args.target if args.target is not None else float(plan["target"]["service_level"])
    threshold = args.threshold if args.threshold is not None else float(plan["target"]["threshold_s"])
    interval_min = float(plan["interval_minutes"])
    intervals = plan["intervals"]
    rates = half_hour_rates(args.calls_per_day)

    arrivals, in_time, answered = simulate(plan, rates, args.days, args.warmup, args.seed,
                                           args.talk, args.patience, threshold)

    print(f"plan {args.plan}  method={plan.get('method', '?')}  days={args.days} "
          f"(+{args.warmup} warm-up, +1 drain)  seed={args.seed}  target {target:.0%} within "
          f"{threshold:g} s  calls/day={args.calls_per_day:g} talk={args.talk:g}s "
          f"patience={args.patience:g}s")
    hdr = (f"{'start':>5} {'offered':>8} {'model':>8} {'sched':>5} {'duty':>4} "
           f"{'sim SL':>7} {'±95%':>6} {'plan SL':>7} {'sim ab':>6} {'plan ab':>7}  flags")
    print(hdr)
    print("-" * len(hdr))
    n_flag = n_sched_bad = n_offered_bad = n_plan_outside = 0
    sims, plans, tot_arr, tot_in, tot_ans = [], [], 0, 0, 0
    for i, row in enumerate(intervals):
        start_min = hhmm_to_min(row["start"])
        idx = int(round(start_min / interval_min))
        a = [arrivals[d][idx] for d in range(args.days)]
        g = [in_time[d][idx] for d in range(args.days)]
        s = [answered[d][idx] for d in range(args.days)]
        sl, hw = ratio_ci(g, a)
        ab = 1 - sum(s) / sum(a) if sum(a) else float("nan")
        tot_arr += sum(a); tot_in += sum(g); tot_ans += sum(s)
        duty = on_duty_at(plan["shifts"], start_min)
        model_offered = expected_calls(rates, start_min * 60.0, (start_min + interval_min) * 60.0)
        flags = []
        if sl < target - hw:
            flags.append("BELOW-TARGET")
            n_flag += 1
        if duty != int(row["scheduled"]):
            flags.append(f"SCHEDULED!={duty}")
            n_sched_bad += 1
        plan_off = float(row.get("offered", model_offered))
        if abs(plan_off - model_offered) > 1e-6 * max(1.0, model_offered):
            flags.append("OFFERED-MISMATCH")
            n_offered_bad += 1
        psl = row.get("service_level")
        if psl is not None and not math.isnan(sl):
            sims.append(sl); plans.append(float(psl))
            if abs(float(psl) - sl) > hw:
                flags.append("plan-outside-CI")
                n_plan_outside += 1
        pab = row.get("abandon_rate")
        print(f"{row['start']:>5} {plan_off:8.2f} {model_offered:8.2f} {int(row['scheduled']):5d} "
              f"{duty:4d} {sl:7.4f} {hw:6.4f} "
              f"{(float(psl) if psl is not None else float('nan')):7.4f} {ab:6.4f} "
              f"{(float(pab) if pab is not None else float('nan')):7.4f}  {' '.join(flags)}")
    print("-" * len(hdr))
    mean_sim = statistics.fmean(sims) if sims else float("nan")
    mean_plan = statistics.fmean(plans) if plans else float("nan")
    print(f"intervals: {len(intervals)}  flagged below target (sim SL < target - half-width): "
          f"{n_flag}  scheduled mismatches: {n_sched_bad}  offered mismatches: {n_offered_bad}")
    print(f"mean over intervals: sim SL {mean_sim:.4f}  plan SL {mean_plan:.4f}  "
          f"(diff {mean_sim - mean_plan:+.4f}); plan SL outside the sim 95% CI in "
          f"{n_plan_outside} intervals (informational)")
    print(f"call-weighted day: sim SL {tot_in / tot_arr:.4f}  sim abandon {1 - tot_ans / tot_arr:.4f}"
          f"  calls simulated (recorded) {tot_arr}  per day {tot_arr / args.days:.1f}")
    if "verification" in plan and isinstance(plan["verification"], dict):
        v = plan["verification"]
        print(f"plan's own verification: SL {v.get('service_level')}  abandon {v.get('abandon_rate')}")
    if args.strict and (n_flag or n_sched_bad or n_offered_bad):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
