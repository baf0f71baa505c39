"""Exports share a worker with respondents: one export at a time per worker, at most half its time.

A worker serves several requests on threads. An export is long and CPU-bound; two of them in
one process would hold the interpreter most of the time and respondents' saves would queue
behind them. Exports beyond the first wait for the semaphore (the download has started, so
the browser just waits), and after each chunk the export sleeps as long as the chunk took, so
the other threads (and the other workers, on a small machine) get at least half the CPU.
A download that stalls (a client that stops reading) holds the slot; the next export waits at
most ``WAIT`` seconds for it and then runs anyway, so a stalled client never blocks the others.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator

EXPORTS = threading.BoundedSemaphore(1)
SHARE = 1.0  # seconds of pause per second of work: the export takes at most half the CPU it could
WAIT = 15.0  # seconds an export waits for the slot before it runs beside the one holding it


def one_export_at_a_time(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Yield ``chunks`` holding this worker's export slot, pausing after each as long as it took."""
    held = EXPORTS.acquire(timeout=WAIT)
    try:
        started = time.perf_counter()
        for chunk in chunks:
            yield chunk
            time.sleep((time.perf_counter() - started) * SHARE)
            started = time.perf_counter()
    finally:
        if held:
            EXPORTS.release()
