"""Every use case that writes investment data: one function each, keyword-only `by`, audited."""

from .contracts import (
    add_commissioner_share,
    add_provider,
    add_shared_outcome,
    create_contract,
    record_measurement,
    set_contract_status,
)
from .funds import add_contribution, create_fund
from .grants import (
    add_conversation_note,
    create_round,
    decide_application,
    record_payment,
    record_report,
    set_round_status,
    submit_application,
)
from .pabulib import import_pabulib
from .pb import (
    add_milestone,
    advance_stage,
    ballot_of,
    cast_ballot,
    check_project,
    complete_milestone,
    create_process,
    declare_residence,
    propose_project,
    publish_results,
    update_process,
    validate_ballot,
    verify_residence,
)

__all__ = [
    "add_commissioner_share",
    "add_contribution",
    "add_conversation_note",
    "add_milestone",
    "add_provider",
    "add_shared_outcome",
    "advance_stage",
    "ballot_of",
    "cast_ballot",
    "check_project",
    "complete_milestone",
    "create_contract",
    "create_fund",
    "create_process",
    "create_round",
    "decide_application",
    "declare_residence",
    "import_pabulib",
    "propose_project",
    "publish_results",
    "record_measurement",
    "record_payment",
    "record_report",
    "set_contract_status",
    "set_round_status",
    "submit_application",
    "update_process",
    "validate_ballot",
    "verify_residence",
]
