"""Exports share a worker with respondents: one export at a time per worker, yielding between chunks.

A worker serves several requests on threads. An export is long and CPU-bound; two of them in
one process would hold the interpreter most of the time and respondents' saves would queue
behind them. Exports beyond the first wait for the semaphore (the download has started, so
the browser just waits), and each chunk gives the other threads a turn before the next.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator

EXPORTS = threading.BoundedSemaphore(1)
PAUSE = 0.002  # seconds between chunks: lets waiting requests run, costs ~0.1 s over 20,000 rows


def one_export_at_a_time(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Yield ``chunks`` holding this worker's export slot, pausing between them."""
    yield b""  # the response starts (headers leave) before waiting for the slot
    with EXPORTS:
        for chunk in chunks:
            yield chunk
            time.sleep(PAUSE)
