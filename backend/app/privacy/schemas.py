from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class AnonymizeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(
        min_length=3,
        max_length=500,
        description="Why, for the audit log (it must not name her: her name is scrubbed from it)",
        examples=["Nghỉ hưu từ 2019, hết thời hạn lưu trữ"],
    )


class RetentionInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    inactive_years: int | None = Field(
        ge=1,
        le=100,
        description="Anonymise people inactive for this many years; null: never",
        examples=[5],
    )


class RetentionPublic(BaseModel):
    organization_id: int
    inactive_years: int | None = Field(description="The period that applies; null: never")
    source: Literal["organization", "inherited", "default"] = Field(
        description="Set here, by an organisation above (from_organization_id), or none set"
    )
    from_organization_id: int | None = None
