"""What the financial report and the dashboard read of a payment: its figures, not the rest
of its record. A `Disbursement` has them; a store reading a programme's million payments may
decode only these (`store.sql_programme`), in half the time the whole record takes."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from reintegrate.grants.disbursements import DisbursementStatus


class PaymentFigures(Protocol):
    @property
    def package_id(self) -> str: ...
    @property
    def component_id(self) -> str: ...
    @property
    def programme_id(self) -> str: ...
    @property
    def office(self) -> str: ...
    @property
    def status(self) -> DisbursementStatus: ...
    @property
    def requested_on(self) -> dt.date: ...
    @property
    def programme_amount(self) -> int: ...
    @property
    def amount(self) -> int: ...
    @property
    def currency(self) -> str: ...
