"""Speed paths: the same seats as the one definition of each rule, decided faster, never read first.

The law is read in `allocation.procedure`, `largest_remainder` and `highest_averages`. What lives here decides
the same seats, the same trace and the same ties wherever it decides at all, and property tests hold it so
over the whole input space it accepts (`tests/properties/test_fast_paths.py`):

- `common.common_case`: `allocate`'s usual case (a quota method, no cap, no tie at the last seat) in one pass
  of integer arithmetic written for CPython 3.11's interpreter; anything else returns None and goes to the
  procedure.
- `divisor.at_once`: a divisor method's seats found at once (a floating-point guess proved on integers)
  instead of seat by seat; None when the proof fails, and the seat-by-seat definition decides.
- `batch.allocate_batch`: a million elections at once in a compiled (numba) kernel, row by row `allocate`'s
  seats; a row it cannot settle alone goes through `allocate`.

Nothing is imported here, so that `allocate` does not load numba.
"""
