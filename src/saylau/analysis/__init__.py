"""Reading a result: comparison with the previous election, and (elsewhere) indices and what-if."""

from saylau.analysis.comparison import Comparison, MajorityChange, PartyChange, compare, summarize_previous

__all__ = ["Comparison", "MajorityChange", "PartyChange", "compare", "summarize_previous"]
