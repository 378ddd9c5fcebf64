"""Load bench: many phones join, hold their event streams and vote while the control room runs the poll.

    python -m bench.phones --phones 1000 --spread 5 [--out bench/results/phones-1000.json]

It starts the app (`main.py serve --demo`) on a fresh SQLite file, pinned to CPU 0 with taskset;
this process, the load generator, pins itself to CPU 1 (as do the Chromium it starts, which
inherits it). Then:

1. A facilitator signs in with Chromium (Playwright) and opens the control room and the
   projector, as on the day.
2. N simulated phones join (`POST /api/events/{code}/devices`), then each opens and holds its
   event stream (`GET /api/events/{code}/stream`); a phone counts as connected once its first
   `state` arrived.
3. The facilitator clicks "Åpne målingen" in the control room: the same code path as on the day.
   Each phone notes (wall clock) when its stream says the poll is open; the fan-out latency is
   that moment minus the `opened_at` the server stored for the poll.
4. Each phone answers once at a uniformly random moment within S seconds of seeing the poll open,
   on a fresh connection, with its own client vote id (retried with the same id after a network
   error, as the phone page does). The acknowledge latency is request start → 200 "received".
5. The control room and the projector (in its results mode, when the app has one) are watched in
   the browser; the time from the last acknowledgement until they show the full count is the
   time to the final tally. Then the facilitator clicks "Steng målingen", the votes stored for the
   poll are counted in the database, and the final count shown in the control room is read.
   Acknowledged, stored and shown must be equal (the exit status is 1 if not).

Along the way it samples the server's CPU time (/proc/PID/stat) and peak memory (VmHWM), this
process's own CPU time, the two cores' load (/proc/stat) and this event loop's lag, to tell whether
the load generator itself was the bottleneck. Only 127.0.0.1 is ever contacted, every phase has a
time limit and the whole run has one (--timeout); the server and Chromium are always stopped.

The parts: `client` (the simulated phones), `browser` (the facilitator's Chromium), `measure`
(latencies, CPU, memory, the profiler), `stored` (what the server stored), `phases` (the run),
`report` (targets and the summary) and `__main__` (the command line). The server is started by
`tests.live_server`, as the tests start theirs.
"""
