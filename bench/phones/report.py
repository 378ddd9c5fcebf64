"""The report: targets met or not, whether the load generator or the machine spoilt the run, what
the server's log says went wrong, and the summary printed at the end."""

from __future__ import annotations

import re
from typing import Any

from bench.phones.measure import BENCH_CPU, SERVER_CPU

SATURATED = 0.9  # share of one core above which the load generator counts as saturated
DISTURBED = 0.1  # share of the server's core used by other processes above which a run counts as disturbed
TARGETS: dict[tuple[int, float], dict[str, float]] = {
    (1000, 5.0): {"fanout_p95_s": 0.5, "ack_p95_s": 0.2},
    (5000, 5.0): {"fanout_p95_s": 1.0, "ack_p95_s": 0.5, "tally_after_last_ack_s": 1.0,
                  "server_peak_memory_mb": 1024.0},
}


def log_problems(log: str) -> dict[str, Any]:
    """What went wrong in the server, as its log says: error lines and the exceptions named in tracebacks."""
    lines = log.splitlines()
    errors: dict[str, int] = {}
    for line in lines:
        if line.startswith(("ERROR:", "WARNING:")):
            errors[line] = errors.get(line, 0) + 1
    exceptions: dict[str, int] = {}
    for line in lines:
        found = re.match(r"^[\s|+]*((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit|Group|Interrupt))\b:?",
                         line)
        if found and not line.lstrip(" |+").startswith(("File ", "Traceback")):
            exceptions[line.strip(" |+")[:200]] = exceptions.get(line.strip(" |+")[:200], 0) + 1
    return {"lines": len(lines), "error_lines": errors, "exceptions": exceptions}


def judge(result: dict[str, Any], phones: int, spread: float) -> None:
    """Targets met or not (only where the issue sets them), and whether the load generator was saturated."""
    equal = (result.get("phones_connected") == phones and result.get("votes_acknowledged") is not None
             and result.get("votes_acknowledged") == result.get("votes_stored") == result.get(
                 "votes_shown_in_final_tally"))
    result["no_lost_vote"] = bool(result.get("votes_acknowledged") is not None and result.get(
        "votes_acknowledged") == result.get("votes_stored") == result.get("votes_shown_in_final_tally"))
    result["all_counts_equal"] = equal
    figures = {"fanout_p95_s": (result.get("fanout_latency") or {}).get("p95_s"),
               "ack_p95_s": (result.get("ack_latency") or {}).get("p95_s"),
               "tally_after_last_ack_s": result.get("tally_after_last_ack_s"),
               "server_peak_memory_mb": result.get("server_peak_memory_mb")}
    targets = TARGETS.get((phones, float(spread)), {})
    result["targets"] = {}
    for name, limit in targets.items():
        measured = figures[name]
        result["targets"][name] = {"target": limit, "measured": measured,
                                   "met": measured is not None and float(measured) <= limit}
    result["targets"]["no_lost_vote"] = {"target": True, "measured": result["no_lost_vote"],
                                         "met": result["no_lost_vote"]}
    phases = result.get("phases", {})
    busy = {name: {"bench_cpu_share": phases[name].get("bench_cpu_share"),
                   "cpu1_busy_share": phases[name].get(f"cpu{BENCH_CPU}_busy_share"),
                   "loop_lag_max_s": phases[name].get("loop_lag_max_s")}
            for name in ("connect", "fanout", "vote") if name in phases}
    other = {name: phases[name].get(f"cpu{SERVER_CPU}_other_share") for name in ("fanout", "vote") if name in phases}
    result["machine_disturbed"] = {  # something else ran on the server's core while it was measured
        "other_share_on_server_cpu": other,
        "disturbed": any(share is not None and share > DISTURBED for share in other.values()),
    }
    result["load_generator"] = {
        "phases": busy,
        "saturated": any((v["bench_cpu_share"] or 0) >= SATURATED for v in busy.values()),
        "cpu1_saturated": any((v["cpu1_busy_share"] or 0) >= 0.95 for v in busy.values()),
    }


def summary(result: dict[str, Any]) -> str:
    def span(key: str) -> str:
        figures = result.get(key) or {}
        if not figures.get("count"):
            return "none"
        return f"p50 {figures['p50_s']:.3f} s  p95 {figures['p95_s']:.3f} s  max {figures['max_s']:.3f} s" \
               f"  (n={figures['count']})"

    lines = [
        f"Phones: {result['phones']}, votes spread over {result['spread_s']} s"
        f"  ({result['machine']['cpus']} CPUs, server on CPU {SERVER_CPU}, load generator on CPU {BENCH_CPU}"
        f"{'' if result['pinned'] else ' — NOT pinned'})",
        f"Phones connected:          {result.get('phones_connected')}",
        f"Fan-out (opened → phone):  {span('fanout_latency')}",
        f"Acknowledge latency:       {span('ack_latency')}",
        f"Votes acknowledged:        {result.get('votes_acknowledged')}   stored: {result.get('votes_stored')}"
        f"   shown in the final tally: {result.get('votes_shown_in_final_tally')}"
        f"   outcomes: {result.get('vote_outcomes')}",
        f"Last ack → tally shown:    control room {result.get('tally_after_last_ack_s')} s,"
        f" projector {result.get('projector_tally_after_last_ack_s')} s",
        f"Server peak memory:        {result.get('server_peak_memory_mb')} MB (VmHWM)",
        f"Server CPU:                {result.get('server_cpu_s_total')} s in all; peak "
        f"{result.get('server_peak_cpu_share_1s')} of a core over 1 s",
    ]
    costs = result.get("request_costs") or {}
    if costs:
        lines.append("One request alone:         " + "   ".join(
            f"{path} {cost['server_cpu_ms']} ms CPU" for path, cost in costs.items()))
    for name, phase in result.get("phases", {}).items():
        lines.append(f"  {name:<8} {phase['wall_s']:>7.2f} s  server {phase['server_cpu_share']:.2f}"
                     f"  load generator {phase['bench_cpu_share']:.2f}  browser {phase['browser_cpu_share']:.2f}"
                     f"  cpu0 {phase.get('cpu0_busy_share')} (other {phase.get('cpu0_other_share')})"
                     f"  cpu1 {phase.get('cpu1_busy_share')}"
                     f"  loop lag max {phase.get('loop_lag_max_s')} s")
    generator = result.get("load_generator", {})
    lines.append(f"Load generator saturated:  {generator.get('saturated')}"
                 f" (CPU {BENCH_CPU} saturated: {generator.get('cpu1_saturated')})")
    if result.get("machine_disturbed", {}).get("disturbed"):
        lines.append(f"DISTURBED: other processes used CPU {SERVER_CPU} "
                     f"{result['machine_disturbed']['other_share_on_server_cpu']}: run it again on a quiet machine")
    for name, target in result.get("targets", {}).items():
        lines.append(f"Target {name}: {target['measured']} vs {target['target']} → "
                     f"{'met' if target['met'] else 'NOT met'}")
    if result.get("error"):
        lines.append(f"ERROR: {result['error']}")
    return "\n".join(lines)

