"""The publish gate (`saylau.service.publication`): no figure goes out before the close of polls, or before a
coordinator releases it. Before the gate opens, `saylau publish` writes nothing to the public target; staff
may get a preview on another target (`--preview-to`), every page of it marked as a preview."""

from saylau.service.publication import Gate, gate_of

__all__ = ["Gate", "gate_of"]
