"""Ask the C library to keep memory that numpy frees, so the next training step can reuse it.

A training step makes hundreds of arrays of a few hundred kilobytes to a few megabytes
(activations, gradients, temporaries) and frees them all at the end of the step. With its
default settings, Linux's C library (glibc) gives most of that memory back to the operating
system, and the next step asks for it again: every 4 KB page then costs the kernel a fault
and a zero-fill before numpy can write to it. On the GPT of chapter 07 that was about 12,000
faults and a third of the step's time (benchmarks/gpt_iteration.py shows it).

keep_freed_memory() raises two of glibc's limits (see `man mallopt`):
    M_TRIM_THRESHOLD: free memory at the top of the heap is only returned beyond this size;
    M_MMAP_THRESHOLD: blocks larger than this get pages of their own, returned at free().
The process then keeps its peak memory (a few hundred MB for our GPT) instead of returning
it between steps. Nothing changes on other systems, or when the MALLOC_TRIM_THRESHOLD_ or
MALLOC_MMAP_THRESHOLD_ environment variables already say what the user wants.
"""

import ctypes
import os
import sys

M_TRIM_THRESHOLD = -1  # mallopt's parameter numbers, from glibc's <malloc.h>
M_MMAP_THRESHOLD = -3
TRIM_BYTES = 1 << 30  # keep up to 1 GB of freed memory
MMAP_BYTES = 32 << 20  # glibc's largest allowed value (32 MB on 64-bit systems)


def keep_freed_memory():
    """Set the two thresholds on Linux with glibc; True if they were set, False otherwise."""
    if not sys.platform.startswith("linux"):
        return False
    if "MALLOC_TRIM_THRESHOLD_" in os.environ or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library this Python runs on
    except (OSError, AttributeError):  # not glibc, or a C library without mallopt
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return bool(mallopt(M_TRIM_THRESHOLD, TRIM_BYTES)) and bool(
        mallopt(M_MMAP_THRESHOLD, MMAP_BYTES)
    )
