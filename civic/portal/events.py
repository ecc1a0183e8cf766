"""What happens to case studies, for other apps to react to (forums, notifications).

Each signal is sent with ``page`` (the original case study) and ``actor``.
``case_study_adopted`` is sent once the change is committed, with ``alias`` and
``district_page``. ``case_study_recommended`` (with ``recommendation``) is sent inside the
recommending transaction, so that what answers it (the leadership thread) is made with the
recommendation or not at all.
"""

from django.dispatch import Signal

case_study_adopted = Signal()
case_study_recommended = Signal()
