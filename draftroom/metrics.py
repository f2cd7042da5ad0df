"""Prometheus metrics of this process (exposed at ``/metrics`` by the web process)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
"""Seconds, for request latencies and pauses."""

HTTP_REQUESTS = Counter(
    "draftroom_http_requests_total", "HTTP requests", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "draftroom_http_request_duration_seconds",
    "HTTP request latency",
    ["route"],
    buckets=LATENCY_BUCKETS,
)
SOCKETS_CONNECTED = Gauge(
    "draftroom_sockets_connected", "Connected Socket.IO sockets", ["namespace_kind"]
)
SOCKET_EVENTS = Counter(
    "draftroom_socket_events_total", "Socket.IO client events handled", ["event", "outcome"]
)
PICKS_COMMITTED = Counter("draftroom_picks_committed_total", "Picks committed", ["by"])
GC_PAUSE = Histogram(
    "draftroom_gc_pause_seconds",
    "Garbage-collector pauses (draftroom.gcwatch)",
    ["generation"],
    buckets=LATENCY_BUCKETS,
)
DRAFT_COMMIT = Histogram(
    "draftroom_draft_commit_seconds",
    "Draft commits from pool acquire to publish (outcome: written, noop, failed)",
    ["outcome"],
    buckets=(0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DRAFT_COMMIT_LOCKED = Counter(
    "draftroom_draft_commits_locked_total",
    "Draft writes that took the row lock instead of the one-statement write "
    "(reason: shape (undo, opening or lock time), notifications, changed (another commit "
    "came first))",
    ["reason"],
)
LOOP_LAG = Histogram(
    "draftroom_event_loop_lag_seconds",
    "How late a 100 ms timer of the event loop fires (draftroom.loopwatch)",
    buckets=LATENCY_BUCKETS,
)
FANOUT_MESSAGES = Counter(
    "draftroom_fanout_messages_total",
    "Redis pub/sub messages of the Socket.IO fan-out (direction: published, received)",
    ["direction"],
)
FANOUT_BYTES = Counter(
    "draftroom_fanout_bytes_total",
    "Bytes of Redis pub/sub messages of the Socket.IO fan-out (direction: published, received)",
    ["direction"],
)
FANOUT_CHANNELS = Gauge(
    "draftroom_fanout_channels", "Redis pub/sub channels this process is subscribed to"
)
ADMISSION_REFUSED = Counter(
    "draftroom_admission_refused_total",
    "Work refused fast past capacity (kind: pick, connect)",
    ["kind"],
)
