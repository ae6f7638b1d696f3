"""The calls app's one hook for the apps above it.

``application_decided`` is sent inside the decision's transaction, after the application's new
status is saved, with ``application`` and ``previous`` (the status before). A receiver that
raises a ``KaynakError`` refuses the decision: nothing is written. The school enrols an
accepted cohort application's people; the festival turns an accepted workshop proposal into an
unscheduled session.
"""

from django.dispatch import Signal

application_decided = Signal()
