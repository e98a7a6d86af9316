"""reintegrate: reintegration assistance for returning migrants, with caps as ledger limits.

The names below are the library's public API, for a partner that embeds it in its own
system (docs/embedding.md): stores and keys, policies, the commands a caseworker, an
approver and finance run, the reports, and the errors they raise. They are imported on first
use, so `import reintegrate` stays light. Everything else is internal and may change.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("reintegrate")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"

_EXPORTS: dict[str, tuple[str, ...]] = {
    "reintegrate.access": ("Role", "Scope"),
    "reintegrate.adapters.identifiers": ("LibraryIdentifierChecks",),
    "reintegrate.adapters.keyring": ("load_keyring", "write_new_key_files"),
    "reintegrate.cases": ("Case", "Member", "MemberRole=Role", "ReturnType"),
    "reintegrate.errors": (
        "DomainError",
        "FourEyesViolation",
        "InvalidTransition",
        "NotFound",
        "ValidationFailed",
    ),
    "reintegrate.events": ("ComponentSpec",),
    "reintegrate.grants.disbursements": ("Channel",),
    "reintegrate.kinds": ("Category", "Dimension", "Form"),
    "reintegrate.ledger": ("LimitExceeded",),
    "reintegrate.people.records": (
        "Consent",
        "ConsentPurpose",
        "ConsentSource",
        "MobileMoney",
        "PersonalData",
    ),
    "reintegrate.people.registry": ("PersonExists",),
    "reintegrate.policy": ("Policy", "load_policy", "validate_policy"),
    "reintegrate.programme": ("BudgetLineSpec",),
    "reintegrate.services.audit": ("verify_audit",),
    "reintegrate.services.case_imports": ("ImportReport", "import_caseload"),
    "reintegrate.services.context": ("Actor",),
    "reintegrate.services.households": ("register_household",),
    "reintegrate.services.packages": (
        "approve_disbursement",
        "approve_package",
        "confirm_disbursement",
        "draft_package",
        "fail_disbursement",
        "request_disbursement",
        "submit_package",
    ),
    "reintegrate.services.people": ("register_person",),
    "reintegrate.services.programmes": (
        "adopt_policy",
        "case_entitlement",
        "create_programme",
        "fund_budget_line",
        "record_fx_rate",
        "register_case",
    ),
    "reintegrate.services.reports": ("financial_report",),
    "reintegrate.services.survey_answers": ("record_answers",),
    "reintegrate.services.surveys": ("adopt_instrument", "record_follow_up"),
    "reintegrate.store.base": ("Store",),
    "reintegrate.store.memory": ("MemoryStore",),
    "reintegrate.store.sql": ("SqlStore",),
    "reintegrate.surveys.instrument": ("load_instrument",),
    "reintegrate.surveys.schedule": ("FollowUpMode=Mode", "FollowUpOutcome=Outcome"),
}
"""Each module's public names; `Public=Name` gives a module's `Name` under another name."""
_MODULE_OF = {
    name.partition("=")[0]: (module, name.partition("=")[2] or name)
    for module, names in _EXPORTS.items()
    for name in names
}

__all__ = [
    "Actor",
    "BudgetLineSpec",
    "Case",
    "Category",
    "Channel",
    "ComponentSpec",
    "Consent",
    "ConsentPurpose",
    "ConsentSource",
    "Dimension",
    "DomainError",
    "FollowUpMode",
    "FollowUpOutcome",
    "Form",
    "FourEyesViolation",
    "ImportReport",
    "InvalidTransition",
    "LibraryIdentifierChecks",
    "LimitExceeded",
    "Member",
    "MemberRole",
    "MemoryStore",
    "MobileMoney",
    "NotFound",
    "PersonExists",
    "PersonalData",
    "Policy",
    "ReturnType",
    "Role",
    "Scope",
    "SqlStore",
    "Store",
    "ValidationFailed",
    "__version__",
    "adopt_instrument",
    "adopt_policy",
    "approve_disbursement",
    "approve_package",
    "case_entitlement",
    "confirm_disbursement",
    "create_programme",
    "draft_package",
    "fail_disbursement",
    "financial_report",
    "fund_budget_line",
    "import_caseload",
    "load_instrument",
    "load_keyring",
    "load_policy",
    "record_answers",
    "record_follow_up",
    "record_fx_rate",
    "register_case",
    "register_household",
    "register_person",
    "request_disbursement",
    "submit_package",
    "validate_policy",
    "verify_audit",
    "write_new_key_files",
]


if not TYPE_CHECKING:  # type checkers read the imports below, and refuse other names

    def __getattr__(name: str) -> Any:
        """A public name, imported from its module on first use (PEP 562)."""
        if name not in _MODULE_OF:
            raise AttributeError(f"module 'reintegrate' has no attribute {name!r}")
        module, attribute = _MODULE_OF[name]
        found = getattr(importlib.import_module(module), attribute)
        globals()[name] = found
        return found

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})


else:  # the same names, for type checkers and editors
    from reintegrate.access import Role, Scope
    from reintegrate.adapters.identifiers import LibraryIdentifierChecks
    from reintegrate.adapters.keyring import load_keyring, write_new_key_files
    from reintegrate.cases import Case, Member, ReturnType
    from reintegrate.cases import Role as MemberRole
    from reintegrate.errors import (
        DomainError,
        FourEyesViolation,
        InvalidTransition,
        NotFound,
        ValidationFailed,
    )
    from reintegrate.events import ComponentSpec
    from reintegrate.grants.disbursements import Channel
    from reintegrate.kinds import Category, Dimension, Form
    from reintegrate.ledger import LimitExceeded
    from reintegrate.people.records import (
        Consent,
        ConsentPurpose,
        ConsentSource,
        MobileMoney,
        PersonalData,
    )
    from reintegrate.people.registry import PersonExists
    from reintegrate.policy import Policy, load_policy, validate_policy
    from reintegrate.programme import BudgetLineSpec
    from reintegrate.services.audit import verify_audit
    from reintegrate.services.case_imports import ImportReport, import_caseload
    from reintegrate.services.context import Actor
    from reintegrate.services.households import register_household
    from reintegrate.services.packages import (
        approve_disbursement,
        approve_package,
        confirm_disbursement,
        draft_package,
        fail_disbursement,
        request_disbursement,
        submit_package,
    )
    from reintegrate.services.people import register_person
    from reintegrate.services.programmes import (
        adopt_policy,
        case_entitlement,
        create_programme,
        fund_budget_line,
        record_fx_rate,
        register_case,
    )
    from reintegrate.services.reports import financial_report
    from reintegrate.services.survey_answers import record_answers
    from reintegrate.services.surveys import adopt_instrument, record_follow_up
    from reintegrate.store.base import Store
    from reintegrate.store.memory import MemoryStore
    from reintegrate.store.sql import SqlStore
    from reintegrate.surveys.instrument import load_instrument
    from reintegrate.surveys.schedule import Mode as FollowUpMode
    from reintegrate.surveys.schedule import Outcome as FollowUpOutcome
