"""What claims tells the page cache of writes no record's save announces."""

from django.dispatch import Signal

# The stance counters of these claims (`pks`) changed, written by an update of the claims'
# rows, not a save (ClaimQuerySet.refresh_stance_counts).
counts_changed = Signal()
