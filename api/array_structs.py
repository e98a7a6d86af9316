"""The OpenAPI schema of a msgspec Struct encoded as a JSON array (`array_like=True`).

Litestar describes every Struct as an object of its fields, but an array-like one is sent as
the array of its field values, in field order (a payment batch's items, a statement's totals
in the journal's events). This plugin describes it so: `prefixItems`, one schema per field.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.openapi.spec import Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.plugins import OpenAPISchemaPlugin
from litestar.typing import FieldDefinition


class ArrayLikeStructs(OpenAPISchemaPlugin):
    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return (
            isinstance(value, type)
            and issubclass(value, msgspec.Struct)
            and value.__struct_config__.array_like
        )

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        """`schema_creator` is the one Litestar hands its plugins (its `for_field_definition`
        describes each field as Litestar would)."""
        fields = msgspec.structs.fields(field_definition.annotation)
        return Schema(
            type=OpenAPIType.ARRAY,
            title=field_definition.annotation.__name__,
            description=f"The values of {', '.join(f.name for f in fields)}, in that order.",
            prefix_items=[
                schema_creator.for_field_definition(FieldDefinition.from_annotation(f.type))
                for f in fields
            ],
            min_items=sum(1 for f in fields if f.required),
            max_items=len(fields),
        )
