"""The relational practice models, split by subject (STYLE.md: a package past ~500 lines)."""

from .connection import (
    SNOMED_DECLINED,
    SNOMED_REFERRAL,
    SNOMED_TERMS,
    Connection,
    ConnectionEvent,
    EndReason,
    Status,
)
from .person import (
    Consent,
    ContactMethod,
    Erasure,
    LawfulBasis,
    Person,
    PracticePolicy,
    Purpose,
)
from .practice import Conversation, Goal, LifeDomain, Plan, Setting, Step
from .wellbeing import Instrument, WellbeingResponse

__all__ = [
    "SNOMED_DECLINED",
    "SNOMED_REFERRAL",
    "SNOMED_TERMS",
    "Connection",
    "ConnectionEvent",
    "Consent",
    "ContactMethod",
    "Conversation",
    "EndReason",
    "Erasure",
    "Goal",
    "Instrument",
    "LawfulBasis",
    "LifeDomain",
    "Person",
    "Plan",
    "PracticePolicy",
    "Purpose",
    "Setting",
    "Status",
    "Step",
    "WellbeingResponse",
]
