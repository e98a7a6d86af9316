"""The words people read for a case's kinds: its members' roles, its return type, their
vulnerabilities. The enum values stay what machines read; these are translated."""

from __future__ import annotations

from collections.abc import Mapping

from reintegrate.cases import ReturnType, Role, Vulnerability
from reintegrate.texts import Text

ROLES: Mapping[Role, Text] = {
    Role.PRINCIPAL: Text("principal"),
    Role.DEPENDANT: Text("dependant"),
}

RETURN_TYPES: Mapping[ReturnType, Text] = {
    ReturnType.SPONTANEOUS: Text("spontaneous"),
    ReturnType.ASSISTED_VOLUNTARY: Text("assisted voluntary"),
    ReturnType.FORCED: Text("forced"),
}

VULNERABILITIES: Mapping[Vulnerability, Text] = {
    Vulnerability.VICTIM_OF_TRAFFICKING: Text("victim of trafficking"),
    Vulnerability.TORTURE_SURVIVOR: Text("torture survivor"),
    Vulnerability.UNACCOMPANIED_MINOR: Text("unaccompanied minor"),
    Vulnerability.SERIOUS_MEDICAL_CONDITION: Text("serious medical condition"),
    Vulnerability.ELDERLY: Text("elderly"),
    Vulnerability.SINGLE_PARENT: Text("single parent"),
    Vulnerability.DISABILITY: Text("disability"),
    Vulnerability.WOMAN_AT_RISK: Text("woman at risk"),
    Vulnerability.REFUGEE: Text("refugee"),
}
