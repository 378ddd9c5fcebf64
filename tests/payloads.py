"""Random request bodies for the phone API's fuzz tests."""

from __future__ import annotations

from httpx import Response
from hypothesis import strategies as st
from starlette.testclient import TestClient

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=60),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=12,
)


def send_payload(client: TestClient, path: str, payload: object, method: str = "POST") -> Response:
    """Raw bytes as they come, anything else as JSON."""
    if isinstance(payload, bytes):
        return client.request(method, path, content=payload)
    return client.request(method, path, json=payload)
