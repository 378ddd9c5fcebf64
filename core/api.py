"""Small helpers for the phones' JSON API: translated problems and strict reading of request bodies."""

from __future__ import annotations

import asyncio
import json
import re
from functools import cache
from typing import Annotated, Literal, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, ValidationError
from pydantic.json_schema import JsonDict

from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, Translate, translator
from core.limits import REQUEST_BODY_SECONDS

MAX_BODY_BYTES = 4096


def _whole(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


# JSON's integer in a strict model: 3 and 3.0 alike, never true or "3".
WholeNumber = Annotated[int, BeforeValidator(_whole)]
# What a phone's id may be (checked by the services, which say what is wrong in the phone's language).
DEVICE_ID_SCHEMA: JsonDict = {"minLength": 16, "maxLength": 64, "pattern": "^[A-Za-z0-9_-]+$"}
Model = TypeVar("Model", bound=BaseModel)


class Problem(BaseModel):
    detail: str


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: str
    scheduled_jobs: int


class ProblemResponse(Exception):
    """Raised while reading a request: answer with this status and translated message."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail

    def response(self) -> JSONResponse:
        return JSONResponse({"detail": self.detail}, status_code=self.status)


def request_language(request: Request) -> str:
    return choose_language(request.query_params.get("lang"), request.headers.get("accept-language", ""))


def choose_language(lang_parameter: str | None, accept_language: str) -> str:
    """The `lang` query parameter, else the browser's first language, else bokmål."""
    asked = lang_parameter or accept_language[:2].lower()
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


async def read_body(request: Request, model: type[Model], _: Translate, most: int = MAX_BODY_BYTES) -> Model:
    """The body as `model`; reading stops as soon as it is larger than any real request (`most` bytes)."""
    too_large = ProblemResponse(413, _("The request is too large."))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > most:
        raise too_large
    body = b""
    try:
        async with asyncio.timeout(REQUEST_BODY_SECONDS):
            async for chunk in request.stream():
                body += chunk
                if len(body) > most:
                    raise too_large
    except TimeoutError:
        raise ProblemResponse(408, _("The request took too long to arrive. Please try again.")) from None
    return parse_body(body, model, _, most)


def parse_body(body: bytes, model: type[Model], _: Translate, most: int = MAX_BODY_BYTES) -> Model:
    """The body as `model`, or a ProblemResponse saying in the user's language what is wrong with it."""
    if len(body) > most:
        raise ProblemResponse(413, _("The request is too large."))
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than any real request
        raise ProblemResponse(400, _("The request could not be read.")) from None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        field = ".".join(str(part) for part in error.errors()[0]["loc"]) or "body"
        raise ProblemResponse(422, _("The field “{field}” is missing or not valid.").format(field=field)) from None


def body_schema(model: type[BaseModel]) -> dict[str, object]:
    """OpenAPI for a body read with `read_body`."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": model.model_json_schema()}}}}


def translated(request: Request) -> Translate:
    return translator(request_language(request))


def method_not_allowed(request: Request, error: Exception) -> JSONResponse:
    """405 in the phone's language, naming every method the address takes: those the API's schema documents
    for it besides those of the route Starlette found (which are all it names)."""
    allowed = {method for method in (getattr(error, "headers", None) or {}).get("Allow", "").split(", ") if method}
    for template, operations in request.app.openapi()["paths"].items():
        if _address(template).fullmatch(request.scope["path"]):
            allowed |= {method.upper() for method in operations}
    return JSONResponse({"detail": translated(request)(NOT_ALLOWED)}, status_code=405,
                        headers={"Allow": ", ".join(sorted(allowed))})


@cache
def _address(template: str) -> re.Pattern[str]:
    """The paths a path template of the schema stands for."""
    return re.compile("".join("[^/]+" if part.startswith("{") else re.escape(part)
                              for part in re.split(r"(\{[^}/]+\})", template)))


NOT_ALLOWED = N_("This address does not take this method.")
