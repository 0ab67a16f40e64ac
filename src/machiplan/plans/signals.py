"""Events other apps may record without the plans app knowing them (the audit trail does)."""

from django.dispatch import Signal

# Sent inside the loading transaction: plan (models.Plan), source (str), replaced (bool),
# observations (int), targets (int).
plan_loaded = Signal()
