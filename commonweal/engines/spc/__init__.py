"""SPC engine (placeholder docstring)."""

from .errors import SpcError
from .rules import SpcRules
from .xmr import XmrBatch, XmrChart, xmr, xmr_batch

__all__ = ["SpcError", "SpcRules", "XmrBatch", "XmrChart", "xmr", "xmr_batch"]
