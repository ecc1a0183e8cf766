"""What happens to case studies, for other apps to react to (forums, notifications).

Each signal is sent once the change is committed, with ``page`` (the original case study) and
``actor``. ``case_study_adopted`` also sends ``alias`` and ``district_page``;
``case_study_recommended`` sends ``recommendation``.
"""

from django.dispatch import Signal

case_study_adopted = Signal()
case_study_recommended = Signal()
