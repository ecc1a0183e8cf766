"""City vital signs: evaluating indicators (``evaluation``), the spike statistic and grading
(``grading``), readings in (``ingest``), and warnings' lives (``warnings``)."""

from .evaluation import Outcome, evaluate_indicator, evaluate_indicators, prune_values
from .grading import grade, poisson_tail, spike_score
from .ingest import (
    ApiKeyInvalid,
    BatchInvalid,
    IngestResult,
    IssuedKey,
    Refusal,
    authenticate,
    ingest,
    issue_key,
    readings_from_csv,
    revoke_key,
)
from .reading import vital_signs, warnings
from .warnings import (
    CauseRequired,
    NoteRequired,
    WarningClosed,
    acknowledge,
    close,
    dispatch_report,
    escalate_overdue,
    warning_for,
    work,
)

__all__ = [
    "ApiKeyInvalid",
    "BatchInvalid",
    "CauseRequired",
    "IngestResult",
    "IssuedKey",
    "NoteRequired",
    "Outcome",
    "Refusal",
    "WarningClosed",
    "acknowledge",
    "authenticate",
    "close",
    "dispatch_report",
    "escalate_overdue",
    "evaluate_indicator",
    "evaluate_indicators",
    "grade",
    "ingest",
    "issue_key",
    "poisson_tail",
    "prune_values",
    "readings_from_csv",
    "revoke_key",
    "spike_score",
    "vital_signs",
    "warning_for",
    "warnings",
    "work",
]
