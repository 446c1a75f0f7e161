"""AMOUNT recognizer and reader: `find_amounts(text) -> list[Amount]` (pure Python) and the spaCy component
`policytag_amounts` (registered in `.component`). Rules and tables ship as package data in `resources/`."""

from .recognizer import Amount, find_amounts, measure_throughput

__all__ = ["Amount", "find_amounts", "measure_throughput"]
