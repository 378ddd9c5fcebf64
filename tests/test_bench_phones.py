"""The phone load bench at a small size: correctness only (nothing lost), no timing asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
PHONES = 30
KEYS = {
    "phones", "spread_s", "pinned", "machine", "server", "phases", "phones_connected", "phones_saw_poll_open",
    "fanout_latency", "ack_latency", "votes_sent", "vote_outcomes", "votes_acknowledged", "votes_stored",
    "votes_shown_in_final_tally", "tally_after_last_ack_s", "server_peak_memory_mb", "server_cpu_s_total",
    "server_peak_cpu_share_1s", "load_generator", "targets", "no_lost_vote", "all_counts_equal", "request_costs",
    "ballot_batches", "server_log", "machine_disturbed",
}


def test_thirty_phones_join_vote_and_every_vote_is_stored_and_shown(tmp_path: Path) -> None:
    out = tmp_path / "phones.json"
    env = {name: value for name, value in os.environ.items() if not name.startswith(("PYTEST", "NICEGUI"))}
    # A subprocess: the bench pins itself to a CPU, which must not pin the test run.
    finished = subprocess.run(
        [sys.executable, "-m", "bench.phones", "--phones", str(PHONES), "--spread", "2", "--idle", "1",
         "--timeout", "240", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    report = finished.stdout + finished.stderr
    assert out.exists(), report
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result.keys() >= KEYS, (KEYS - result.keys(), report)
    assert result.get("error") is None, report
    assert result["phones_connected"] == PHONES, report
    assert result["phones_saw_poll_open"] == PHONES, report
    assert result["vote_outcomes"] == {"200": PHONES}, report
    assert result["votes_acknowledged"] == result["votes_stored"] == result["votes_shown_in_final_tally"] == PHONES
    assert result["fanout_latency"]["count"] == result["ack_latency"]["count"] == PHONES
    assert result["no_lost_vote"] and result["all_counts_equal"]
    assert finished.returncode == 0, report
    assert "Phones connected:" in finished.stdout
