"""Building blocks of request schemas, so that OpenAPI says exactly what the server accepts.

Dates and times, in every request body and query parameter: pydantic's lax mode reads a
number, or a string of digits, as a Unix timestamp (`as_of=0` became 1 January 1970, and
`"20250101"` a day in 1970 too). `IsoDate` and `IsoDateTime` refuse anything but text in ISO
8601 form (`2025-03-31`, `2025-03-15T07:30:00+07:00`) with a 422 naming the field; OpenAPI
still describes them as `format: date` and `format: date-time`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, Field
from pydantic_core import PydanticCustomError

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ].+")


def _iso_date_text(value: object) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError(
        "date_format", "Ngày phải có dạng YYYY-MM-DD. / A date must be written YYYY-MM-DD."
    )


def _iso_datetime_text(value: object) -> object:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATETIME.fullmatch(value):
        return value
    raise PydanticCustomError(
        "datetime_format",
        "Thời điểm phải có dạng YYYY-MM-DDTHH:MM:SS+07:00. "
        "/ A time must be written YYYY-MM-DDTHH:MM:SS with its offset.",
    )


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_datetime_text)]


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def omittable(**constraints: Any) -> Any:
    """A PATCH field that may be left out but never sent as null (a title, a start date).

    Typed without `| None`, it is optional and not nullable in OpenAPI, so a null answers
    422 naming the field; left out, it reads None and `model_dump(exclude_unset=True)`
    leaves it out of the changes. Fields that can really be cleared stay `X | None`.
    """
    return Field(default=None, json_schema_extra=_no_default, **constraints)
