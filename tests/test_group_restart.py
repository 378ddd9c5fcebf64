"""A group's saved choice, and the lock at the end of the group work, survive a killed server."""

from __future__ import annotations

import re
import signal
from pathlib import Path
from zoneinfo import ZoneInfo

from agenda.live import LiveAgenda
from agenda.timeline import Action
from core.database import create_db_engine
from tests.live_server import live_server

PHONE = "group-phone-0001-aaaaaa"


def test_a_saved_choice_and_the_scheduled_lock_survive_a_sigkill(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with live_server(data, "--demo") as server:
        code = re.findall(r"code ([A-Z2-9]{6})", server.output())[0]
    live = LiveAgenda(create_db_engine(f"sqlite:///{data / 'dialogmote.db'}"), ZoneInfo("Europe/Oslo"))
    live.record(1, Action.START_DAY)
    group_item = next(item for item in live.day(1).items.values() if item.kind == "group_work")
    live.record(1, Action.JUMP, item_id=group_item.id)
    with live_server(data) as server:
        joined = server.request_json("POST", f"/api/events/{code}/devices",
                                     {"device_id": PHONE, "municipality": "1804"})
        assert joined[0] == 200
        form = server.request_json("GET", f"/api/events/{code}/devices/{PHONE}/group")[1]
        assert form["active"] is True
        saved = server.request_json("PUT", f"/api/events/{code}/devices/{PHONE}/group",
                     {"version": 0, "focus_area_id": form["areas"][2]["id"], "reason": "Før krasjet"})
        assert saved[0] == 200
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
    with live_server(data) as restarted:
        choice = restarted.request_json("GET", f"/api/events/{code}/devices/{PHONE}/group")[1]["choice"]
        assert (choice["version"], choice["reason"]) == (1, "Før krasjet")
        health = restarted.request_json("GET", "/healthz")[1]
        assert health["scheduled_jobs"] == 3  # the warnings 5 and 1 minutes before, and the lock at the end
