"""The Erlang A benchmark queue in SimPy: the reference the Swift simulator is timed against.

Same model as Scenarios/bench/erlang-a.yaml (Poisson arrivals, exponential talk and patience,
c operators, FIFO), written the way the SimPy documentation writes a call centre: one process per
caller that requests an operator and gives up when its patience runs out first.
Usage: python3 simpy_erlang_a.py CALLERS [SEED]  -> JSON on stdout with the summary figures and CPU seconds.
"""
import json
import random
import sys
import time

import simpy

RATE_PER_H, TALK_S, OPERATORS, PATIENCE_S, THRESHOLD_S = 1000.0, 240.0, 74, 120.0, 20.0


def run(callers, seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    operators = simpy.Resource(env, capacity=OPERATORS)
    stats = {"offered": 0, "answered": 0, "in_time": 0, "abandoned": 0, "wait_all": 0.0, "busy": 0.0}

    def caller(env):
        arrived = env.now
        stats["offered"] += 1
        with operators.request() as request:
            patience = env.timeout(rng.expovariate(1 / PATIENCE_S))
            result = yield request | patience
            wait = env.now - arrived
            stats["wait_all"] += wait
            if request in result:
                stats["answered"] += 1
                if wait <= THRESHOLD_S:
                    stats["in_time"] += 1
                talk = rng.expovariate(1 / TALK_S)
                stats["busy"] += talk
                yield env.timeout(talk)
            else:
                stats["abandoned"] += 1

    def source(env):
        for _ in range(callers):
            yield env.timeout(rng.expovariate(RATE_PER_H / 3600))
            env.process(caller(env))

    env.process(source(env))
    start = time.process_time()
    env.run()
    cpu = time.process_time() - start
    n = stats["offered"]
    return {
        "callers": n, "cpu_s": cpu, "callers_per_cpu_s": n / cpu,
        "service_level": stats["in_time"] / n, "abandon_rate": stats["abandoned"] / n,
        "mean_wait_s": stats["wait_all"] / n, "occupancy": stats["busy"] / (OPERATORS * env.now),
    }


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1)))
