"""What the API's routers share: text that the stores can hold (``Plain``), bounded text
fields, dates as strings, and the one error body with the statuses each route declares."""

from typing import Any

from pydantic import AfterValidator, BaseModel, Field


def plain_text(value: str) -> str:
    """Text the stores can hold: no NUL character (PostgreSQL refuses it) and no lone
    surrogate (not UTF-8; JSON's ``"\\ud800"`` makes one)."""
    if "\x00" in value:
        raise ValueError("has a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("has a lone surrogate (not valid Unicode text)") from None
    return value


# After the length bounds: ``Annotated[str, Field(..., json_schema_extra=NO_NUL), Plain]``;
# NO_NUL says it in /openapi.json (a lone surrogate cannot be written there).
Plain = AfterValidator(plain_text)
NO_NUL = {"pattern": r"^[^\u0000]*$"}


def text_field(longest: int, **bounds: int) -> Any:
    """The ``Field`` of a text of at most ``longest`` characters with no NUL."""
    return Field(max_length=longest, json_schema_extra=NO_NUL, **bounds)


def date_text(value: object) -> object:
    """A date in JSON is a "YYYY-MM-DD" string (pydantic would read 0 as 1970-01-01)."""
    if value is not None and not isinstance(value, str):
        raise ValueError("must be a date as a string, YYYY-MM-DD")
    return value


class ErrorBody(BaseModel):
    """Every refusal: 4xx (or 503) with what was wrong on one line."""

    detail: str = Field(description="what was wrong, on one line")


ERRORS = {
    400: "the Host header is not one this server answers to, or a query the store refuses",
    401: "no `Authorization: Bearer TOKEN`, or the wrong token",
    403: "read-only server: started without a token",
    404: "no such record",
    413: "request body over the cap (ONRECORD_MAX_BODY_BYTES)",
    422: "a parameter or the body is not valid",
    503: "the database is unavailable",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of these error statuses (and of those every request may
    get: a refused Host, a body over the cap, a bad parameter, the database down)."""
    return {
        code: {"model": ErrorBody, "description": ERRORS[code]}
        for code in sorted({400, 413, 422, 503, *codes})
    }
