"""What the service refuses, each with a stable code the API returns (web maps `status` to HTTP).

    SaylauError
    └── ServiceError            code, message, field; status is the HTTP status the API answers with
        ├── NotFound            404  no such station, protocol, user
        ├── Unauthenticated     401  not logged in, or the session expired
        ├── Forbidden           403  the role or the commission does not allow it
        ├── Conflict            409  the protocol's state or the certified result does not allow it
        ├── Invalid             422  input that cannot be accepted (field names it)
        ├── BlockingErrors      422  an entry that breaks P001-P009: the clerk's wording, line by line
        └── TooManyAttempts     429  login attempts over the limit
`saylau.service.states.TransitionRefused` is answered like Conflict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from saylau.errors import Phrase, SaylauError
from saylau.tabulation.checks import Finding


class ServiceError(SaylauError):
    """A refusal with a stable code, a message for people and the field it concerns.

    `message` is a msgid of the catalogues (`saylau/locale`); with `values`, one with `{name}` placeholders:
    `template` keeps it, so the web layer can answer in the caller's language; `message` is the English.
    A value that is a `Term` (a role, a state, an action) or a `Phrase` (a sentence inside the sentence) is
    translated too; with `plural`, the message is a counted phrase (gettext's ngettext) whose count is
    `values["n"]`. `message` may itself be a Phrase: its msgid, values and plural are taken.
    """

    code = "refused"
    status = 400

    def __init__(
        self,
        message: str,
        field: str | None = None,
        code: str | None = None,
        values: Mapping[str, object] | None = None,
        *,
        plural: str | None = None,
    ) -> None:
        if isinstance(message, Phrase):  # a sentence kept whole (`saylau.errors.Phrase`): its msgid and values
            values, plural, message = message.values, message.plural, message.template
        counted = plural if plural is not None and values is not None and values.get("n") != 1 else message
        english = counted.format(**values) if values is not None else message
        super().__init__(english)
        self.message = english
        self.template = message if values is not None else None
        self.plural = plural
        self.values = dict(values or {})
        self.field = field
        if code is not None:
            self.code = code


class Term(str):
    """A word inside a refusal's figures that the catalogues translate: a role, a state, an action, a ballot.

    It reads as the word itself (the English message and the API's fields keep it); its msgid is
    `context|word`, so `role|operator` and a party called `operator` never share a translation.
    """

    msgid: str

    def __new__(cls, word: str, context: str) -> Term:
        made = super().__new__(cls, word)
        made.msgid = f"{context}|{word}"
        return made


class NotFound(ServiceError):
    code, status = "not-found", 404


class Unauthenticated(ServiceError):
    code, status = "unauthenticated", 401


class Forbidden(ServiceError):
    code, status = "forbidden", 403


class Conflict(ServiceError):
    code, status = "conflict", 409


class Invalid(ServiceError):
    code, status = "invalid", 422


class TooManyAttempts(ServiceError):
    code, status = "too-many-attempts", 429

    def __init__(
        self,
        message: str,
        field: str | None = None,
        *,
        values: Mapping[str, object] | None = None,
        retry_after: int = 60,
    ) -> None:
        super().__init__(message, field, values=values)
        self.retry_after = max(1, retry_after)
        """Seconds until a try may be made again (the `Retry-After` header)."""


@dataclass(frozen=True, slots=True)
class LineError:
    """One blocking check on one line of the form: the code, the line, and what to tell the clerk; for a
    protocol's check, every line of the failing relation (`fields`) and the finding with both sides' figures."""

    code: str
    field: str | None
    message: str
    fields: tuple[str, ...] = ()
    finding: Finding | None = None


class BlockingErrors(ServiceError):
    """An entry that breaks the protocol's control relations; the operator corrects it before it is stored."""

    code, status = "blocking-errors", 422

    def __init__(self, errors: Sequence[LineError]) -> None:
        first = errors[0]
        super().__init__(f"{first.code}: {first.message}", first.field)
        self.errors = tuple(errors)
