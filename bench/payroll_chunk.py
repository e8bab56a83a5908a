"""Benchmark: profile the calculation of pay-run chunks in one process (no Celery).

Run from the repository root (PostgreSQL on localhost):

    python bench/payroll_chunk.py [--employees 20000] [--db hrops_bench_pay] [--chunks 5]
        [--chunk-size 200] [--profile]

Seeds like bench/payroll_run.py (same database and people), creates a fresh draft run, then
calculates --chunks chunks of --chunk-size employees with `calculate_employees`, each in a
transaction that is rolled back (so every chunk is a first calculation), and prints the wall
time, SQL time and query count per chunk; --profile adds a cProfile summary of all chunks.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


class _Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=20000)
    parser.add_argument("--db", default="hrops_bench_pay")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--chunks", type=int, default=5)
    parser.add_argument("--chunk-size", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--queries", action="store_true", help="print each query and its time")
    args = parser.parse_args()
    import payroll_run

    payroll_run._configure(args)
    schedule = payroll_run._seed(args.employees)
    run = payroll_run._fresh_run(schedule, payroll_run._user(), args.employees)

    from django.db import connection, transaction

    from payroll.models import PayRun
    from payroll.services.calculation import calculate_employees
    from payroll.services.runs import run_employee_ids

    run = PayRun.objects.select_related("schedule", "period", "corrects").get(pk=run.pk)
    ids = run_employee_ids(run)
    sql = {"n": 0, "t": 0.0}

    def timed(execute, query, params, many, context):
        t = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql["n"] += 1
            sql["t"] += time.perf_counter() - t
            if args.queries:
                print(f"  {(time.perf_counter() - t) * 1000:6.1f} ms  {len(query):6d} chars  "
                      f"{' '.join(query.split())[:150]}")

    profiler = cProfile.Profile() if args.profile else None
    walls = []
    with connection.execute_wrapper(timed):
        for i in range(args.chunks):
            chunk = ids[i * args.chunk_size:(i + 1) * args.chunk_size]
            sql.update(n=0, t=0.0)
            t = time.perf_counter()
            try:
                with transaction.atomic():
                    if profiler:
                        profiler.enable()
                    calculate_employees(run, chunk)
                    if profiler:
                        profiler.disable()
                    raise _Rollback
            except _Rollback:
                pass
            wall = time.perf_counter() - t
            walls.append(wall)
            print(f"chunk {i}: {len(chunk)} employees, wall {wall * 1000:.0f} ms, "
                  f"SQL {sql['t'] * 1000:.0f} ms in {sql['n']} queries")
    print(f"median wall per chunk of {args.chunk_size}: {statistics.median(walls) * 1000:.0f} ms")
    if profiler:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
