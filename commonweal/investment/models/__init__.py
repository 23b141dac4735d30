"""The investment app's models, one module per part: funds, grants, PB and contracts."""

from .contracts import CommissionerShare, Contract, ContractProvider, OutcomeMeasurement, SharedOutcome
from .funds import Contribution, Fund, FundBalance
from .grants import Application, Award, ConversationNote, GrantReport, Payment, ReportFigure, Round
from .pb import (
    Ballot,
    BallotChoice,
    BallotType,
    Milestone,
    PBProcess,
    PBProject,
    PBResult,
    Residence,
    Rule,
    TieBreaking,
)

__all__ = [
    "Application",
    "Award",
    "Ballot",
    "BallotChoice",
    "BallotType",
    "CommissionerShare",
    "Contract",
    "ContractProvider",
    "Contribution",
    "ConversationNote",
    "Fund",
    "FundBalance",
    "GrantReport",
    "Milestone",
    "OutcomeMeasurement",
    "PBProcess",
    "PBProject",
    "PBResult",
    "Payment",
    "ReportFigure",
    "Residence",
    "Round",
    "Rule",
    "SharedOutcome",
    "TieBreaking",
]
