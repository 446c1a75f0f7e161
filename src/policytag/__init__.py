"""policytag: read Chinese government and industrial work reports and turn them into data."""

from .errors import InputError, ModelError, PolicytagError, ReadError
from .pipeline import load, tag
from .read import Paragraph, Report, read

__version__ = "0.1.0"
__all__ = ["InputError", "ModelError", "Paragraph", "PolicytagError", "ReadError", "Report", "load", "read", "tag",
           "__version__"]
