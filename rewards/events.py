"""What happens in the rewards programme, for other apps to react to (notifications tell).

Sent once the change is committed. ``badge_earned`` sends ``user`` and ``badge`` (a
``badges.Badge``); ``redemption_fulfilled`` sends ``redemption`` when staff hand over a reward
(vouchers are handed over at once, in the redeeming request's answer, and send nothing);
``points_withheld`` sends ``user`` and ``entry`` (a ``LedgerEntry``) when the daily cap held
back some or all of what a rule would have paid.
"""

from django.dispatch import Signal

badge_earned = Signal()
redemption_fulfilled = Signal()
points_withheld = Signal()
