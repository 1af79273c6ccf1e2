"""Memory a run has freed given back to the system, so that a large run's peak is what it
holds, not what it held once. A run frees gigabytes as it goes (each raw column once typed,
each rule's temporaries), and both allocators it uses keep freed memory by default."""
from __future__ import annotations

import ctypes
import os
import platform

import pyarrow as pa


def allocators_that_return_memory() -> None:
    """Arrow's default allocator (mimalloc) keeps what it frees for later use: at a million
    deals the run's peak held 0.2-0.6 GB of freed memory. jemalloc, told to give freed pages
    back at once (not a second later: typing frees hundreds of megabytes a second), does not.
    A pool the user chose (ARROW_DEFAULT_MEMORY_POOL) is left alone, and so is a pyarrow built
    without jemalloc."""
    if "ARROW_DEFAULT_MEMORY_POOL" in os.environ or pa.default_memory_pool().backend_name == "jemalloc":
        return
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
        pa.jemalloc_set_decay_ms(0)
    except NotImplementedError:
        pass


def give_back_freed_memory() -> None:
    """What the C library's heap holds freed is given back to the system (glibc's malloc_trim):
    between the stages of a run, where one stage's temporaries are all freed and the next
    stage would otherwise be added on top of them."""
    if platform.libc_ver()[0] != "glibc":
        return
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass
