"""Smart intake (智能分拨): a classifier of report text into the city's categories, trained on
the city's history and cold-started from the categories themselves (``training``, ``model``,
``text``, ``phrases``); the version that answers (``runtime``); category suggestions
(``suggest``); duplicates by meaning (``similar``); and the words that signal danger
(``urgency``). Training is a service (``services.train_classifier``); the rest are reads.
"""

from .similar import likely_duplicates, similar_reports
from .suggest import Suggestion, disagreement, disagreements, suggest
from .urgency import priority_for, urgency_cues

__all__ = [
    "Suggestion",
    "disagreement",
    "disagreements",
    "likely_duplicates",
    "priority_for",
    "similar_reports",
    "suggest",
    "urgency_cues",
]
