"""Candidate claims from a source text: who said what, anchored to the exact words."""
