"""Renderers: pure functions from a `Result` to text or bytes (terminal, JSON, and more)."""
