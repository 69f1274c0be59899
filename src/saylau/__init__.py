"""saylau: run an election held under a mixed electoral system, from definition to council, and publish it."""

__version__ = "0.1.0"
