"""Fan-out and GC-pause figures from the draftroom servers' own counters (``GET /metrics``).

Every server is scraped at the start and the end of each measured phase; the deltas give,
per committed pick (the servers' ``draftroom_picks_committed_total``, summed over ``by``):
Redis messages published, messages received summed over the processes and per process, and
bytes published + received. A deployment whose ``/metrics`` has no fan-out series (an older
build; the bare baselines serve no metrics at all) gives None ("-"). Counters with labels
appear on their first increment, so a series that a process has not touched yet counts as
0 as long as some process of the deployment shows fan-out series.

The same scrapes give the garbage collector's pauses (``draftroom_gc_pause_seconds``,
summed over generations and processes): how many, how many took over 50 ms, and the time
spent (:func:`gc_figures`), per measured phase and over a whole target's run.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

Counters = dict[str, float]
"""``published``, ``received``, ``published_bytes``, ``received_bytes``, ``picks``: the
series a server showed (absent keys: not in its output)."""

FANOUT_KEYS = ("published", "received", "published_bytes", "received_bytes")
GC_KEYS = ("gc_pauses", "gc_pauses_within_50ms", "gc_seconds")
GC_SLOW_S = 0.05
"""The issue's limit on a single pause (50 ms: a histogram bucket bound)."""
_SAMPLES = {
    "draftroom_fanout_messages_total": "",
    "draftroom_fanout_bytes_total": "_bytes",
}


def parse(text: str) -> Counters:
    """The fan-out and committed-pick counters of one Prometheus text exposition."""
    out: Counters = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "draftroom_picks_committed_total":
                key = "picks"
            elif sample.name == "draftroom_gc_pause_seconds_count":
                key = "gc_pauses"
            elif sample.name == "draftroom_gc_pause_seconds_sum":
                key = "gc_seconds"
            elif sample.name == "draftroom_gc_pause_seconds_bucket":
                if float(sample.labels.get("le", "nan")) != GC_SLOW_S:
                    continue
                key = "gc_pauses_within_50ms"
            elif sample.name in _SAMPLES:
                direction = sample.labels.get("direction", "")
                if direction not in ("published", "received"):
                    continue
                key = direction + _SAMPLES[sample.name]
            else:
                continue
            out[key] = out.get(key, 0.0) + sample.value
    return out


async def _one(client: httpx.AsyncClient, url: str) -> Counters | None:
    with contextlib.suppress(httpx.HTTPError, ValueError):
        response = await client.get(url)
        if response.status_code == 200:
            return parse(response.text)
    return None


async def scrape(
    host: str, ports: Sequence[int], timeout: float = 5.0, token: str | None = None
) -> list[Counters | None]:
    """Every server's counters (None for a server that did not answer 200 with metrics);
    ``token``: the deployment's DRAFTROOM_METRICS_TOKEN, sent as a bearer token."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(timeout=timeout, headers=headers) as client:
        return list(
            await asyncio.gather(*(_one(client, f"http://{host}:{p}/metrics") for p in ports))
        )


def _ratio(value: float | None, picks: float | None, digits: int = 3) -> float | None:
    return None if value is None or not picks else round(value / picks, digits)


def delta(before: Sequence[Counters | None], after: Sequence[Counters | None]) -> dict[str, Any]:
    """The phase's figures from the counters at its start and end (one entry per server)."""
    per_server: list[Counters | None] = []
    totals: Counters = {}
    for start, end in zip(before, after, strict=True):
        if start is None or end is None:
            per_server.append(None)
            continue
        diff = {k: v - start.get(k, 0.0) for k, v in end.items()}
        per_server.append(diff)
        for key, value in diff.items():
            totals[key] = totals.get(key, 0.0) + value
    complete = bool(per_server) and all(d is not None for d in per_server)
    instrumented = complete and any(k in totals for k in FANOUT_KEYS)
    fan = {k: totals.get(k, 0.0) if instrumented else None for k in FANOUT_KEYS}
    picks = totals.get("picks") if complete else None
    received = _ratio(fan["received"], picks)
    both = totals.get("published_bytes", 0.0) + totals.get("received_bytes", 0.0)
    return {
        "processes": len(per_server),
        "picks": picks,
        **fan,
        "published_per_pick": _ratio(fan["published"], picks),
        "received_per_pick": received,
        "received_per_pick_per_process": _ratio(received, len(per_server)),
        "bytes_per_pick": _ratio(both if instrumented else None, picks, 1),
        "gc": gc_figures(totals) if complete and "gc_pauses" in totals else None,
        "per_server": per_server,
    }


def gc_figures(totals: Counters) -> dict[str, Any]:
    """Collections, collections over 50 ms and milliseconds spent, from summed deltas."""
    pauses = totals.get("gc_pauses", 0.0)
    return {
        "pauses": int(pauses),
        "over_50ms": int(pauses - totals.get("gc_pauses_within_50ms", 0.0)),
        "ms": round(totals.get("gc_seconds", 0.0) * 1000, 1),
    }


def gc_line(figures: dict[str, Any] | None) -> str:
    """One line of the printed report: the phase's GC pauses (all processes)."""
    gc = (figures or {}).get("gc")
    if not gc:
        return "gc pauses: - (no metrics)"
    return f"gc pauses: {gc['pauses']:,}, {gc['over_50ms']} over 50 ms, {gc['ms']:,.1f} ms in all"


def line(figures: dict[str, Any] | None) -> str:
    """One line of the printed report for a phase."""
    if not figures or figures.get("received") is None:
        return "fan-out per committed pick: - (no fan-out metrics)"
    if not figures.get("picks"):
        return "fan-out per committed pick: - (no pick committed)"

    def f(key: str, digits: int = 2) -> str:
        value = figures.get(key)
        return "-" if value is None else f"{value:,.{digits}f}"

    return (
        f"fan-out per committed pick ({f('picks', 0)} picks): Redis published "
        f"{f('published_per_pick')}, received {f('received_per_pick')} "
        f"({f('received_per_pick_per_process')} per process), "
        f"bytes {f('bytes_per_pick', 0)}"
    )
