"""Every vote a phone was told "received" is still there after the server is killed."""

from __future__ import annotations

import re
import signal
import threading
from pathlib import Path
from typing import Any

from sqlmodel import func, select

from core.database import create_db_engine, unit_of_work
from polls.models import Vote
from polls.service import PollService
from tests.live_server import LiveServer, live_server

PHONES = 60


def post(server: LiveServer, path: str, body: dict[str, object]) -> tuple[int, dict[str, Any]]:
    try:
        return server.request_json("POST", path, body)
    except OSError:
        return 0, {}  # the server died while the vote was on its way: never acknowledged


def test_acknowledged_votes_survive_a_sigkill(tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = f"sqlite:///{data / 'dialogmote.db'}"
    with live_server(data, "--demo") as server:
        code = re.findall(r"code ([A-Z2-9]{6})", server.output())[0]
        engine = create_db_engine(database)
        polls = PollService(engine)
        view = polls.polls(1)[0]
        # the poll is opened in the database; the server reads an open poll it has not seen from there
        phones = [f"restart-phone-{n:04d}-aaaa" for n in range(PHONES)]
        for phone in phones:
            assert post(server, f"/api/events/{code}/devices", {"device_id": phone, "municipality": "1804"})[0] == 200
        polls.open(view.poll.id or 0)
        acknowledged: list[str] = []
        lock = threading.Lock()

        def vote(phone: str) -> None:
            status, answer = post(server, f"/api/polls/{view.poll.id}/votes", {
                "device_id": phone, "client_vote_id": f"v-{phone}", "question_id": view.questions[0].id, "answer": 4})
            if status == 200 and answer.get("status") == "received":
                with lock:
                    acknowledged.append(phone)

        threads = [threading.Thread(target=vote, args=(phone,)) for phone in phones]
        for thread in threads[: PHONES // 2]:
            thread.start()
        for thread in threads[: PHONES // 2]:
            thread.join()
        for thread in threads[PHONES // 2:]:
            thread.start()
        server.process.send_signal(signal.SIGKILL)  # in the middle of the second half
        for thread in threads[PHONES // 2:]:
            thread.join()
        server.process.wait()
    assert len(acknowledged) >= PHONES // 2
    with live_server(data):
        with unit_of_work(create_db_engine(database)) as session:
            stored = set(session.exec(select(Vote.device_id)).all())
            assert session.exec(select(func.count()).select_from(Vote)).one() == len(stored)
        assert set(acknowledged) <= stored
