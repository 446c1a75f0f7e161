"""Reading reports: decoding, boilerplate removal, normalization with offsets, paragraphs."""

from .decode import Decoded, decode_bytes, read_source
from .normalize import Normalizer, detect_script
from .report import Paragraph, Removed, Report, build_report, read

__all__ = [
    "Decoded", "Normalizer", "Paragraph", "Removed", "Report",
    "build_report", "decode_bytes", "detect_script", "read", "read_source",
]
