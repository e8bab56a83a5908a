"""Benchmark: profile the calculation of pay-run chunks in one process (no Celery).

Run from the repository root (PostgreSQL on localhost):

    python bench/payroll_chunk.py [--employees 20000] [--db hrops_bench_pay] [--chunks 5]
        [--chunk-size 200] [--profile] [--queries] [--second-month] [--finish]

Seeds like bench/payroll_run.py (same database and people), creates a fresh draft run, then
calculates --chunks chunks of --chunk-size employees with `calculate_employees`, each in a
transaction that is rolled back (so every chunk is a first calculation), and prints the wall
time, SQL time, query count and per-phase times per chunk; --profile adds a cProfile summary
of all chunks.

--second-month uses bench/payroll_review.py's database instead (period 1 finalised, period 2
calculated: year to date from the previous payslips, joiners, leavers, pay changes, bonuses,
variance against period 1): each chunk of period 2's run has its payslips deleted and is
calculated again, rolled back. --finish also times the finishing step of that run
(`run_summary_write`: the review figures), rolled back.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import statistics
import sys
import time
import types
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# Functions of payroll.services.calculation timed one by one (module attribute -> phase name);
# those that exist on this checkout are wrapped (the bench also runs against older main).
PHASES = {
    "prepare": "prepare", "data_flags": "data_flags", "previous_payslips": "previous",
    "build_payslip": "build", "store": "store",
}
ENGINE_PHASE = "engine"


class _Rollback(Exception):
    pass


def _server_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine only:
    /proc/<pid>/stat utime + stime), a figure that, unlike wall time, hardly depends on what
    else the machine runs; 0 when the server is elsewhere."""
    import os

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wrap_phases(times: dict[str, float]) -> None:
    """Accumulate wall time per phase into `times` (monkeypatched: no code change needed)."""
    from payroll import engine
    from payroll.services import calculation

    def timed(name, fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            t, c = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                times[name] += time.perf_counter() - t
                times[f"{name} (CPU)"] += time.process_time() - c
        return inner

    for attr, name in PHASES.items():
        if hasattr(calculation, attr):
            setattr(calculation, attr, timed(name, getattr(calculation, attr)))
    proxy = types.SimpleNamespace(**vars(engine))
    proxy.calculate = timed(ENGINE_PHASE, engine.calculate)
    calculation.engine = proxy


def _first_month(args):
    import payroll_run

    payroll_run._configure(args)
    schedule = payroll_run._seed(args.employees)
    return payroll_run._fresh_run(schedule, payroll_run._user(), args.employees)


def _second_month(args):
    import payroll_review

    payroll_review._configure(args)
    run, _approver = payroll_review.seed(args.employees, reseed=False)
    return run


def _full(run, sql, phases, profiler, timed) -> None:
    """The whole run again, in process: what a run costs beyond its chunks (commit, claims,
    progress, the finishing step) shows as the difference from the sum of the phases."""
    from django.db import connection

    from payroll.services import runs
    from payroll.services.runs import run_calculate

    t = time.perf_counter()
    run.payslips.all().delete()
    print(f"deleted the run's payslips in {time.perf_counter() - t:.1f} s")
    for attr, name in (("run_summary_write", "finish: summary"),
                       ("calculate_employees", "calculate_employees")):
        fn = getattr(runs, attr)

        def inner(*a, _fn=fn, _name=name, **kw):
            t, c = time.perf_counter(), time.process_time()
            try:
                return _fn(*a, **kw)
            finally:
                phases[_name] += time.perf_counter() - t
                phases[f"{_name} (CPU)"] += time.process_time() - c
        setattr(runs, attr, inner)
    sql.update(n=0, t=0.0)
    server = _server_cpu()
    t, c = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(timed):
        if profiler:
            profiler.enable()
        run_calculate(run=run, acting_user=run.calculated_by, restart=True)
        if profiler:
            profiler.disable()
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    server = _server_cpu() - server
    run.refresh_from_db()
    print(f"run {run.pk}: {run.status}, {run.payslips.count()} payslips, wall {wall:.1f} s, "
          f"client CPU {cpu:.1f} s + server CPU {server:.1f} s = {cpu + server:.1f} s, SQL "
          f"{sql['t']:.1f} s in {sql['n']} queries")
    print("per phase: wall (includes waiting for a CPU on a loaded machine) and client CPU")
    for name, seconds in sorted(phases.items(), key=lambda kv: -kv[1]):
        if not name.endswith(" (CPU)"):
            print(f"  {name:<22} {seconds:7.1f} s   CPU {phases[name + ' (CPU)']:6.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=20000)
    parser.add_argument("--db", default="hrops_bench_pay")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--chunks", type=int, default=5)
    parser.add_argument("--chunk-size", type=int, default=200)
    parser.add_argument("--skip", type=int, default=0, help="start at this chunk index")
    parser.add_argument("--second-month", action="store_true",
                        help="period 2 of bench/payroll_review.py's database")
    parser.add_argument("--finish", action="store_true",
                        help="also time the finishing step (review figures), rolled back")
    parser.add_argument("--full", action="store_true",
                        help="--second-month: delete period 2's payslips and calculate the whole "
                        "run again in this process (run_calculate, eager), committed")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--cpu", action="store_true",
                        help="--profile in CPU time (time.process_time) instead of wall time: "
                        "what this process computes, whatever the machine's load")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--queries", action="store_true", help="print each query and its time")
    args = parser.parse_args()
    run = _second_month(args) if args.second_month else _first_month(args)

    from django.db import connection, transaction

    from payroll.models import PayRun
    from payroll.services.calculation import calculate_employees
    from payroll.services.runs import run_employee_ids

    run = PayRun.objects.select_related("schedule", "period", "corrects").get(pk=run.pk)
    ids = run_employee_ids(run)
    sql = {"n": 0, "t": 0.0}
    phases: dict[str, float] = defaultdict(float)
    _wrap_phases(phases)

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

    profiler = None
    if args.profile:
        profiler = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
    if args.full:
        _full(run, sql, phases, profiler, timed)
        if profiler:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
        return
    walls, cpus, servers = [], [], []
    with connection.execute_wrapper(timed):
        for i in range(args.skip, args.skip + args.chunks):
            chunk = ids[i * args.chunk_size:(i + 1) * args.chunk_size]
            try:
                with transaction.atomic():
                    run.payslips.filter(employee_id__in=chunk).delete()
                    server = _server_cpu()
                    sql.update(n=0, t=0.0)
                    phases.clear()
                    t, c = time.perf_counter(), time.process_time()
                    if profiler:
                        profiler.enable()
                    calculate_employees(run, chunk)
                    if profiler:
                        profiler.disable()
                    wall, cpu = time.perf_counter() - t, time.process_time() - c
                    sql_n, sql_t = sql["n"], sql["t"]
                    server = _server_cpu() - server
                    raise _Rollback
            except _Rollback:
                pass
            walls.append(wall)
            cpus.append(cpu)
            servers.append(server)
            detail = ", ".join(f"{k} {v * 1000:.0f}/{phases[k + ' (CPU)'] * 1000:.0f}"
                               for k, v in phases.items() if not k.endswith(" (CPU)"))
            print(f"chunk {i}: {len(chunk)} employees, wall {wall * 1000:.0f} ms, CPU "
                  f"{cpu * 1000:.0f} ms + server {server * 1000:.0f} ms, SQL "
                  f"{sql_t * 1000:.0f} ms in {sql_n} queries (wall/CPU: {detail} ms)")
        if args.finish:
            from payroll.services.run_summary import run_summary_write

            try:
                with transaction.atomic():
                    sql.update(n=0, t=0.0)
                    t = time.perf_counter()
                    run_summary_write(PayRun.objects.select_related("corrects").get(pk=run.pk))
                    print(f"finish (run_summary_write, {run.payslips.count()} payslips): "
                          f"{(time.perf_counter() - t) * 1000:.0f} ms, SQL "
                          f"{sql['t'] * 1000:.0f} ms in {sql['n']} queries")
                    raise _Rollback
            except _Rollback:
                pass
    print(f"median per chunk of {args.chunk_size}: wall {statistics.median(walls) * 1000:.0f} ms"
          f", client CPU {statistics.median(cpus) * 1000:.0f} ms, server CPU "
          f"{statistics.median(servers) * 1000:.0f} ms (sum of client + server CPU over the "
          f"chunks: {(sum(cpus) + sum(servers)) * 1000:.0f} ms)")
    if profiler:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
