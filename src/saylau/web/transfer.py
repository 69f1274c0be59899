"""Results up the tree over HTTP: import a bundle of a commission below, and type its paper summary protocol
as the second entry (`/api/import`, `/api/summaries`); both doors call `saylau.service.transfer`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict

from saylau.service import transfer
from saylau.service.states import Action
from saylau.web.api import EntryIn
from saylau.web.context import ContextDep

api = APIRouter(prefix="/api")


class SummaryResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["keep-first", "discard-second"]


@api.post("/import", status_code=201)
def import_bundle(context: ContextDep, bundle: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """Import a results bundle of a commission below (coordinator; a bundle over the 1 MiB body limit goes by
    `saylau import`); 409 `bundle-refused` says why not."""
    with context.unit_of_work() as connection:
        done = transfer.import_bundle(connection, bundle, context.user(connection))
    return {"commission": done.commission, "version": done.version, "sha256": done.sha256, "summaries": done.summaries}


@api.get("/summaries")
def summaries(context: ContextDep) -> list[dict[str, Any]]:
    """The summary protocols of the commissions below, with their states."""
    with context.unit_of_work() as connection:
        return transfer.listing(connection, context.user(connection))


@api.post("/summaries/{commission}/{contest}/{ballot}/{district}/entries")
def summary_entry(
    commission: str,
    contest: str,
    ballot: Literal["list", "district"],
    district: int,
    body: EntryIn,
    context: ContextDep,
) -> dict[str, str]:
    """The paper summary protocol, typed as the second entry (operator)."""
    with context.unit_of_work() as connection:
        key = (commission, contest, ballot, district)
        state = transfer.enter_summary(connection, context.user(connection), key, body.model_dump())
    return {"state": state.value}


@api.post("/summaries/{commission}/{contest}/{ballot}/{district}/resolve")
def summary_resolve(
    commission: str,
    contest: str,
    ballot: Literal["list", "district"],
    district: int,
    body: SummaryResolveIn,
    context: ContextDep,
) -> dict[str, str]:
    """Keep the imported figures, or send the typed paper summary back (coordinator)."""
    with context.unit_of_work() as connection:
        key = (commission, contest, ballot, district)
        state = transfer.resolve_summary(connection, context.user(connection), key, Action(body.action))
    return {"state": state.value}
