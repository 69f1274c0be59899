"""Every input bounded where it enters, in one place for the API and the pages (docs/limits.md, "The service").

- Numbers in paths, queries and forms are whole numbers from 0 to `MAX_NUMBER` (PostgreSQL's `integer`):
  routes declare them with `PathNumber`, `QueryNumber`, `FormNumber`, and a test walks every route of the app
  to see that none takes an unbounded one.
- Numbers a clerk types into a form are ASCII digits only, with the separators clerks write between groups
  (`clerk_number`): `²`, `①`, Arabic-Indic and full-width digits are not numbers.
- Text holds no NUL and no lone surrogate (neither can be stored): `text_problem`, which the request
  middleware (`saylau.web.limits.BodyLimits`) applies to the path, the query and every body.
- A refusal is a 4xx naming the field, in the caller's language (`?lang=`, else `Accept-Language`):
  `localized` and `validation_message`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Annotated, Any

from fastapi import Form, Path, Query, Request

from saylau.errors import Count, Phrase
from saylau.limits import MAX_COUNT
from saylau.reports.i18n import translator
from saylau.reports.numbers import Formats
from saylau.reports.problems import said
from saylau.service.errors import Invalid, ServiceError
from saylau.service.states import WHY, TransitionRefused, allowed
from saylau.web.labels import words
from saylau.web.public import choose_language

MAX_NUMBER = 2**31 - 1
"""The largest number a path, query or form field takes (station, district, id, offset)."""

PathNumber = Annotated[int, Path(ge=0, le=MAX_NUMBER)]
QueryNumber = Annotated[int, Query(ge=0, le=MAX_NUMBER)]
FormNumber = Annotated[int, Form(ge=0, le=MAX_NUMBER)]

SEPARATORS = frozenset(" \u00a0\u2009\u202f,_'")
"""What clerks write between groups of three digits: spaces (also no-break and thin ones), comma, underscore,
apostrophe (`1 585`, `12,345`); `1,5` is not a count, so a separator stands only before three digits."""
_PLAIN = re.compile(r"[0-9]+", re.ASCII)
_GROUPED = re.compile(r"[0-9]{1,3}(?:[ \u00a0\u2009\u202f,_'][0-9]{3})+", re.ASCII)


def clerk_number(text: str, field: str, maximum: int = MAX_COUNT) -> int:
    """A number typed into a form: ASCII digits with separators between groups; Invalid naming `field` else."""
    stripped = text.strip()
    if not (_PLAIN.fullmatch(stripped) or _GROUPED.fullmatch(stripped)):
        raise Invalid("write a whole number with the digits 0-9", field, code="P006", values={})
    digits = "".join(c for c in stripped if c not in SEPARATORS)
    if len(digits.lstrip("0")) > len(str(maximum)) or int(digits) > maximum:
        raise Invalid("at most {limit}", field, code="P006", values={"limit": Count(maximum)})
    return int(digits)


def query_number(request: Request, name: str, field: str | None = None) -> int | None:
    """An optional number of the query that a page reads itself (`?district=`): None when absent or empty;
    a refusal names `field` (the page's word for it, `District`), else `name`."""
    text = request.query_params.get(name)
    if not text:
        return None
    return clerk_number(text, field or name, MAX_NUMBER)


def text_problem(text: str) -> str | None:
    """The first character of `text` that no database stores (NUL, a lone surrogate) as U+XXXX, or None."""
    if "\x00" in text:
        return "U+0000"
    for char in text:
        if "\ud800" <= char <= "\udfff":
            return f"U+{ord(char):04X}"
    return None


def texts(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string of a decoded JSON value (keys included) with its JSON path (`candidates.0.candidate`)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts(item, f"{path}.{index}" if path else str(index))
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            yield inner, str(key)
            yield from texts(item, inner)


def refuse_text(field: str, char: str) -> Invalid:
    """The refusal of text holding `char` in `field`."""
    return Invalid(
        "{field}: the text holds a character that cannot be stored ({char})",
        field,
        code="invalid-text",
        values={"field": field, "char": char},
    )


def request_language(request: Request) -> str:
    """The caller's language for `request`."""
    return choose_language(request.query_params.get("lang", ""), request.headers.get("accept-language", ""))


def localized(error: ServiceError | TransitionRefused, lang: str) -> str:
    """The message of `error` in `lang` from the catalogues (English where a msgid has no translation yet).

    A `Term` among the figures (a role, a state, an action) is translated as well; a counted message takes
    the form `lang` uses for its count (ngettext); a refused transition is told from its state and action.
    """
    translate = translator(lang)
    if isinstance(error, TransitionRefused):
        if error.state is None or error.action is None:
            return translate(str(error))
        possible = ", ".join(translate(f"action|{a.value}") for a in allowed(error.state))
        return translate("cannot {action} this protocol: {why} (possible now: {possible})").format(
            action=translate(f"action|{error.action.value}"),
            why=translate(WHY[error.state]),
            possible=possible or translate("nothing"),
        )
    if error.template is None:
        return translate(error.message)
    return said(Phrase(error.template, error.plural, **error.values), lang)


def say(text: str, lang: str) -> str:
    """`text` in `lang`: a `Phrase` from the catalogues, its values said too (`saylau.reports.problems.said`)."""
    return said(text, lang)


_VALIDATION: Mapping[str, str] = {
    "missing": "{field}: required",
    "extra_forbidden": "{field}: not a field of this request",
    "int_parsing": "{field}: a whole number is expected",
    "int_type": "{field}: a whole number is expected",
    "int_from_float": "{field}: a whole number is expected",
    "less_than_equal": "{field}: at most {limit}",
    "less_than": "{field}: less than {limit}",
    "greater_than_equal": "{field}: at least {limit}",
    "greater_than": "{field}: more than {limit}",
    "string_too_long": "{field}: at most {limit} characters",
    "string_too_short": "{field}: at least {limit} characters",
    "too_long": "{field}: at most {limit} items",
    "string_type": "{field}: text is expected",
    "bool_parsing": "{field}: true or false is expected",
    "bool_type": "{field}: true or false is expected",
    "literal_error": "{field}: one of {expected}",  # pydantic's `'a' or 'b'`: the API's own values
    "enum": "{field}: one of {expected}",
    "date_parsing": "{field}: a date such as 2023-03-19 is expected",
    "date_from_datetime_parsing": "{field}: a date such as 2023-03-19 is expected",
    "date_type": "{field}: a date such as 2023-03-19 is expected",
    "json_invalid": "the request's body is not valid JSON",
}
_OTHER = "{field}: not accepted ({detail})"


def validation_message(error: Mapping[str, Any], lang: str) -> tuple[str | None, str]:
    """The field (JSON path) and the message, in `lang`, of one of pydantic's validation errors."""
    location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "form")]
    field = ".".join(location) or None
    context = error.get("ctx") or {}
    limit = next((context[k] for k in ("le", "lt", "ge", "gt", "max_length", "min_length") if k in context), "")
    values = {
        "field": words(lang).field(field or "body") if lang != "en" else field or "body",
        "limit": Formats(lang).integer(limit) if isinstance(limit, int) else str(limit),
        "expected": str(context.get("expected", "")).replace(" or ", ", "),
        "detail": str(error.get("msg", "")),
    }
    template = _VALIDATION.get(str(error.get("type")), _OTHER)
    return field, translator(lang)(template).format(**values)
