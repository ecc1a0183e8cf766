from django.dispatch import Signal

# Sent on commit after any area was created, changed, moved or deleted. No arguments beyond
# sender: receivers re-read what they need.
areas_changed = Signal()
