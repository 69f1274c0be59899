"""The staff pages' words that a page names by a key rather than by its English: the protocol's lines (the
form's field names), the ballots, the protocols' states, the coordinator's actions and the stages of a tie.

`KEYED` gives each key its msgid; the catalogues (`saylau/locale`) hold the Kazakh and Russian, as for every
other word. A msgid in the context `page|` is worded on the pages otherwise than in the reports (the paper
form's "Алынған бюллетеньдер саны" beside the reports' "Алынған бюллетеньдер"); `saylau.web.labels` looks a
page's other words up the same way, `page|` first.
"""

from __future__ import annotations

from collections.abc import Mapping

from saylau.reports.i18n import N_

PAGE = "page|"
"""The context of a word the pages say otherwise than the reports."""

KEYED: Mapping[str, str] = {
    "registered": N_("Registered voters"),
    "received": N_("page|Ballots received"),
    "issued": N_("page|Ballots issued"),
    "issued_absentee": N_("of which by absentee certificate"),
    "issued_outside": N_("of which outside the premises"),
    "cancelled": N_("Cancelled (unused) ballots"),
    "found": N_("Ballots found in the boxes"),
    "invalid": N_("Invalid ballots"),
    "against_all": N_("Against all"),
    "list": N_("Party-list ballot"),
    "district": N_("District ballot"),
    "keep-first": N_("Keep entry 1"),
    "keep-second": N_("Keep entry 2"),
    "discard-first": N_("Discard entry 1"),
    "discard-second": N_("Discard entry 2"),
    "discard-both": N_("Discard both"),
    "accept-warnings": N_("Accept the warnings"),
    "reopen": N_("Reopen"),
    "remainder": N_("Tied remainder"),
    "average": N_("Tied average"),
    "excess": N_("Tied remainder (a seat given back)"),
    "empty": N_("empty"),
    "first-entry": N_("page|entered once"),
    "different": N_("entries differ"),
    "warnings": N_("warnings"),
    "accepted": N_("page|accepted"),
}
"""Each key a page names a word by (a line, a ballot, a state, an action, a tie's stage) -> its msgid."""
