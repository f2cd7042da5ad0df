"""Fan-out figures from two scrapes of the servers' Prometheus text."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from draftroom.loadtest.fanout import delta, gc_line, line, parse
from draftroom.metrics import LATENCY_BUCKETS


class Server:
    """The counters of one draftroom process, as ``draftroom.metrics`` defines them."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.messages = Counter(
            "draftroom_fanout_messages_total", "m", ["direction"], registry=self.registry
        )
        self.bytes = Counter(
            "draftroom_fanout_bytes_total", "b", ["direction"], registry=self.registry
        )
        self.picks = Counter("draftroom_picks_committed_total", "p", ["by"], registry=self.registry)

    def traffic(self, published: int, received: int, picks: dict[str, int]) -> None:
        if published:
            self.messages.labels("published").inc(published)
            self.bytes.labels("published").inc(published * 100)
        if received:
            self.messages.labels("received").inc(received)
            self.bytes.labels("received").inc(received * 100)
        for by, n in picks.items():
            self.picks.labels(by).inc(n)

    def text(self) -> str:
        return generate_latest(self.registry).decode()


def test_parse_sums_picks_over_by_and_ignores_created_samples() -> None:
    server = Server()
    server.traffic(3, 5, {"user": 2, "auto": 1})
    assert parse(server.text()) == {
        "published": 3.0,
        "received": 5.0,
        "published_bytes": 300.0,
        "received_bytes": 500.0,
        "picks": 3.0,
    }


def test_delta_per_committed_pick_over_two_processes() -> None:
    a, b = Server(), Server()
    a.traffic(10, 10, {"user": 5})  # before the phase: subtracted
    before = [parse(a.text()), parse(b.text())]
    a.traffic(8, 8, {"user": 6, "auto": 2})  # a committed 8 picks: 8 publishes
    b.traffic(0, 8, {})  # b received them (its "published" series does not exist yet)
    figures = delta(before, [parse(a.text()), parse(b.text())])
    assert figures["picks"] == 8
    assert figures["published_per_pick"] == 1.0
    assert figures["received_per_pick"] == 2.0  # summed over the processes
    assert figures["received_per_pick_per_process"] == 1.0
    assert figures["bytes_per_pick"] == 300.0  # (800 published + 1,600 received) / 8
    assert figures["per_server"][1] == {"received": 8.0, "received_bytes": 800.0}
    assert "received 2.00 (1.00 per process)" in line(figures)


def test_a_series_first_seen_during_the_phase_counts_from_zero() -> None:
    server = Server()
    before = [parse(server.text())]  # no sample at all yet (labels appear on first use)
    server.traffic(4, 4, {"user": 4})
    assert delta(before, [parse(server.text())])["received_per_pick"] == 1.0


def test_servers_without_fanout_series_give_no_figures() -> None:
    old = (  # an older build: picks counted, no fan-out series
        "# HELP draftroom_picks_committed_total p\n"
        "# TYPE draftroom_picks_committed_total counter\n"
        'draftroom_picks_committed_total{by="user"} 7.0\n'
    )
    figures = delta([parse(old)], [parse(old.replace("7.0", "9.0"))])
    assert figures["picks"] == 2
    assert figures["published_per_pick"] is None
    assert figures["received_per_pick"] is None
    assert figures["bytes_per_pick"] is None
    assert line(figures).endswith("- (no fan-out metrics)")


def test_a_server_that_did_not_answer_voids_the_figures() -> None:
    server = Server()
    server.traffic(1, 1, {"user": 1})
    figures = delta([parse(server.text()), None], [parse(server.text()), {}])
    assert figures["per_server"][1] is None
    assert figures["picks"] is None
    assert figures["received_per_pick"] is None


def test_no_committed_pick_gives_no_ratio() -> None:
    server = Server()
    server.traffic(1, 1, {"user": 1})
    text = parse(server.text())
    figures = delta([text], [text])
    assert figures["picks"] == 0
    assert figures["published_per_pick"] is None
    assert line(figures).endswith("- (no pick committed)")


def gc_server() -> tuple[CollectorRegistry, Histogram]:
    registry = CollectorRegistry()
    pauses = Histogram(
        "draftroom_gc_pause_seconds",
        "g",
        ["generation"],
        buckets=LATENCY_BUCKETS,
        registry=registry,
    )
    return registry, pauses


def test_gc_pauses_over_50ms_are_counted_per_phase_over_the_processes() -> None:
    (reg_a, gc_a), (reg_b, gc_b) = gc_server(), gc_server()
    gc_a.labels("0").observe(0.2)  # before the phase: subtracted
    before = [parse(generate_latest(r).decode()) for r in (reg_a, reg_b)]
    for seconds in (0.002, 0.004, 0.05):  # 50 ms is within the limit
        gc_a.labels("0").observe(seconds)
    gc_b.labels("2").observe(0.3)
    gc_b.labels("0").observe(0.06)
    after = [parse(generate_latest(r).decode()) for r in (reg_a, reg_b)]
    figures = delta(before, after)
    assert figures["gc"] == {"pauses": 5, "over_50ms": 2, "ms": 416.0}
    assert gc_line(figures) == "gc pauses: 5, 2 over 50 ms, 416.0 ms in all"


def test_no_gc_series_gives_no_gc_figures() -> None:
    server = Server()
    server.traffic(1, 1, {"user": 1})
    figures = delta([parse(server.text())], [parse(server.text())])
    assert figures["gc"] is None
    assert gc_line(figures) == "gc pauses: - (no metrics)"
