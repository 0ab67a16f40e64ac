"""Events other apps may record without the plans app knowing them (the audit trail does)."""

from django.dispatch import Signal

# Sent inside the loading transaction: plan (models.Plan), source (str), replaced (bool),
# observations (int), targets (int), actor (str: who, '' for the command line), via (str: web, cli).
plan_loaded = Signal()

# Sent inside the loading transaction before an existing plan is deleted to be replaced:
# plan (models.Plan). A receiver may raise MachiplanError to refuse (the staff app does,
# while figures entered in the app await approval).
plan_replacing = Signal()
