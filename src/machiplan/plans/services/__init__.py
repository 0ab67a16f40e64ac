"""Writes to (and whole-plan reads of) the plan model, one module per use case.

Every write is a transaction: it either does all its work or none of it.
"""

from .plan_evaluate import plan_evaluate
from .plan_export import plan_export
from .plan_load import plan_load

__all__ = ["plan_evaluate", "plan_export", "plan_load"]
