"""The council on every drawn completion at once, by the rules `compose` runs: one allocation, the districts.

Why here and not `composition.compose` per draw: a projection runs the rules on thousands of counts. It runs
only what `compose` runs as one allocation (the council's own gate, `composition.council.one_allocation`),
and on the same terms: the list tier is the council's `list_allocation` (its lists, caps, threshold, ties and
recorded drawings), computed for all draws by the batch engine (`apportionment.fast.batch.allocate_batch`,
row by row equal to `allocate`), and any row the batch leaves to the commission goes through
`list_allocation` itself with the drawings; a district race is an argmax over arrays, and a row the arrays
cannot settle alone (a tie at the top) goes through `decide_district` with the district's recorded drawing.
So every drawn council is the one `declare` gives on the same figures (`tests/unit/test_projection.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from saylau.analysis.projection.completion import VoteArray
from saylau.analysis.projection.model import IntArray
from saylau.apportionment import Threshold, ThresholdBase, TieRule
from saylau.composition.council import list_allocation, list_contestants, list_threshold, one_allocation
from saylau.composition.districts import decide_district
from saylau.composition.lots import district_drawing, drawings
from saylau.domain import Election, Tally, TieTier
from saylau.errors import Phrase, RuleError
from saylau.rules import AgainstAllRule, Combination, DistrictRounds, DistrictTier, FragmentVotes, ListTier

UNPROJECTED = (
    "the projection covers one list constituency with a plain threshold, single-member districts in one round "
    "and parallel tiers; this election has {features}"
)
UNCAPPED = 2**40
"""The batch's cap for a list without one (more seats than any body has)."""

BoolArray = npt.NDArray[np.bool_]

VACANT = -1
"""A district left without a winner in a draw (repeat election, or a tie left to the commission)."""


@dataclass(frozen=True, slots=True)
class Councils:
    """n drawn councils: per draw and party, admitted to the list tier, list seats, district seats."""

    admitted: BoolArray
    list_seats: IntArray
    district_seats: IntArray
    winners: IntArray
    """(n, D): index into the election's candidate order (CountArrays.candidates), or VACANT."""

    @property
    def seats(self) -> IntArray:
        out: IntArray = self.list_seats + self.district_seats
        return out


def check_supported(election: Election) -> None:
    """Refuse, with a clear line, the rules the vectorised path does not cover: it runs one list constituency
    with a plain threshold, single-member districts in one round, and tiers side by side (parallel)."""
    system = election.system
    refused: list[Phrase] = []
    if system.is_mixed and system.combination is not Combination.PARALLEL:
        refused.append(Phrase("tiers combined as {combination}", combination=repr(system.combination.value)))
    if system.fragment_votes is not FragmentVotes.NONE:
        refused.append(Phrase("fragment votes"))
    if election.constituencies:
        refused.append(Phrase("several list constituencies"))
    tier = system.list_tier
    if tier is not None and (
        tier.threshold_districts is not None
        or tier.threshold_exempt
        or tier.joint_list_thresholds
        or tier.preferential_quota is not None
    ):
        refused.append(Phrase("threshold alternatives, exemptions or preferential seats"))
    district_tier = system.district_tier
    if district_tier is not None and district_tier.rounds is not DistrictRounds.ONE:
        refused.append(Phrase("two-round districts"))
    if any(d.seats != 1 for d in election.districts):
        refused.append(Phrase("multi-member districts"))
    if not refused and not one_allocation(election):  # the council's own gate: what it runs as one allocation
        refused.append(Phrase("list-tier rules beyond one allocation"))
    if refused:
        raise RuleError(Phrase(UNPROJECTED, features=tuple(refused)))


def councils(
    election: Election,
    list_votes: IntArray | None,
    district_votes: tuple[VoteArray, VoteArray, VoteArray] | None,
    seed: int,
) -> Councils:
    """The council of each of n drawn counts: `list_votes` (n, P + 2) city totals of the list ballot (parties in
    registration order, "against all", invalid), `district_votes` per-district totals (`Completions`)."""
    parties = election.parties_in_registration_order
    rows = next((a.shape[0] for a in (list_votes, *(district_votes or ())) if a is not None), 0)
    admitted_rows = np.zeros((rows, len(parties)), np.bool_)
    list_seats = np.zeros((rows, len(parties)), np.int64)
    tier = election.system.list_tier
    if tier is not None and list_votes is not None:
        admitted_rows, list_seats = list_tier(election, tier, list_votes, seed)
    districts = sorted(election.districts, key=lambda d: d.number)
    winners = np.full((rows, len(districts)), VACANT, np.int64)
    district_tier = election.system.district_tier
    if district_tier is not None and district_votes is not None:
        winners = district_winners(election, district_tier, *district_votes)
    parties_of = [c.party for d in districts for c in d.candidates]
    return Councils(admitted_rows, list_seats, district_seats(election, winners, parties_of), winners)


def prepare() -> None:
    """Load the batch allocation now: numba's import and its compiled code take half a second, which a caller
    with other work first (reading a national count) can spend beside that work, on another thread."""
    from saylau.apportionment.fast.batch import allocate_batch

    allocate_batch(np.ones((1, 2), np.int64), 1)  # the kernel's one signature: its cached code loads


def list_tier(election: Election, tier: ListTier, votes: IntArray, seed: int) -> tuple[BoolArray, IntArray]:
    """(admitted, seats) for each row of city-wide list totals (n, P + 2: parties, "against all", invalid)."""
    # numba is imported here, where the batch runs, not with this module (see `prepare`): `forensics` reads
    # `model` and never allocates.
    from saylau.apportionment.fast.batch import allocate_batch

    p = len(election.parties_in_registration_order)
    party_votes = np.ascontiguousarray(votes[:, :p])
    threshold = list_threshold(tier)
    contestants = list_contestants(election, Tally({}))  # the council's lists: their caps, withdrawn lists
    caps = None
    if any(c.max_seats is not None for c in contestants):
        caps = np.array([UNCAPPED if c.max_seats is None else c.max_seats for c in contestants], np.int64)
    seats = allocate_batch(
        party_votes,
        tier.seats,
        tier.method,
        threshold=threshold,
        against_all=votes[:, p],
        invalid=votes[:, p + 1],
        min_admitted=tier.min_admitted,
        tie=tier.tie,
        seed=tier.tie_seed if tier.tie_seed is not None else seed,
        max_seats=caps,
    )
    entered = admitted(party_votes, votes[:, p], votes[:, p + 1], threshold, tier.min_admitted)
    if tier.tie is TieRule.DECIDE and drawings(election, TieTier.LIST):
        short = seats.sum(axis=1) < tier.seats
        if caps is not None:
            # Fewer names on the admitted lists than seats: each list takes all its names and the rest stay
            # vacant, as the council declares it (`compose`); no tie is left, and the batch's row stands.
            short &= np.where(entered, caps, 0).sum(axis=1) >= tier.seats
        _settle_by_drawings(election, votes, seats, np.flatnonzero(short))
    return entered, seats


def _settle_by_drawings(election: Election, votes: IntArray, seats: IntArray, rows: IntArray) -> None:
    """`rows` with a tie left to the commission: decided by `list_allocation` itself, which applies the
    commission's recorded drawings (a drawing settles the tie it records; any other stays open)."""
    names = [q.short_name for q in election.parties_in_registration_order]
    p = len(names)
    for row in rows:
        tally = Tally(
            {n: int(v) for n, v in zip(names, votes[row, :p], strict=True)}, int(votes[row, p]), int(votes[row, p + 1])
        )
        decided = list_allocation(election, tally).seats
        seats[row] = [decided.get(n, 0) for n in names]


def admitted(
    votes: IntArray, against_all: IntArray, invalid: IntArray, threshold: Threshold | None, min_admitted: int
) -> BoolArray:
    """Who takes part in the list seats, row by row as `apply_threshold` decides it (exact integers)."""
    base_kind = threshold.base if threshold is not None else ThresholdBase.VALID
    base = votes.sum(axis=1)
    if base_kind is not ThresholdBase.PARTY:
        base = base + against_all
    if base_kind is ThresholdBase.CAST:
        base = base + invalid
    percent = threshold.percent if threshold is not None and threshold.percent is not None else None
    passed = np.ones(votes.shape, np.bool_)
    if percent is not None:
        passed &= votes * 100 * percent.denominator >= percent.numerator * base[:, None]
    if threshold is not None and threshold.votes is not None:
        passed &= votes >= threshold.votes
    # Below `min_admitted`, the largest lists with votes come in (equal votes: registration order): since the
    # test is monotone in votes, the admitted are the first max(passed, min_admitted) by (-votes, order).
    order = np.argsort(-votes, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(votes.shape[1])[None, :].repeat(votes.shape[0], 0), axis=1)
    wanted = np.maximum(passed.sum(axis=1), min_admitted)
    out: BoolArray = passed | ((rank < wanted[:, None]) & (votes > 0))
    return out


def district_winners(
    election: Election,
    tier: DistrictTier,
    candidates: VoteArray,
    against_all: VoteArray,
    invalid: VoteArray,
) -> IntArray:
    """(n, D) the winning candidate's index per draw and district, VACANT when no one is elected."""
    n = candidates.shape[0]
    districts = sorted(election.districts, key=lambda d: d.number)
    out = np.full((n, len(districts)), VACANT, np.int64)
    start = 0
    for k, district in enumerate(districts):
        width = len(district.candidates)
        if width == 0:
            continue
        block = candidates[:, start : start + width]
        top = block.max(axis=1)
        leader = block.argmax(axis=1)
        tied = (block == top[:, None]).sum(axis=1) > 1
        out[:, k] = np.where(tied, VACANT, start + leader)
        if tier.against_all is AgainstAllRule.REPEAT_ELECTION:
            out[against_all[:, k] > top, k] = VACANT
        for row in np.flatnonzero(tied & ~((against_all[:, k] > top) & _repeats(tier))):
            tally = Tally(
                {c.name: int(v) for c, v in zip(district.candidates, block[row], strict=True)},
                int(against_all[row, k]),
                int(invalid[row, k]),
            )
            outcome = decide_district(district, tally, tier, drawn=district_drawing(election, district.number))
            out[row, k] = VACANT if outcome.winner is None else start + district.candidates.index(outcome.winner)
        start += width
    return out


def _repeats(tier: DistrictTier) -> bool:
    return tier.against_all is AgainstAllRule.REPEAT_ELECTION


def district_seats(election: Election, winners: IntArray, candidate_party: list[str | None]) -> IntArray:
    """(n, P) district seats per party from the winners (independents and vacancies hold none)."""
    parties = [p.short_name for p in election.parties_in_registration_order]
    column = {p: i for i, p in enumerate(parties)}
    owner = np.array([column.get(q, -1) if q is not None else -1 for q in candidate_party] + [-1], dtype=np.int64)
    holder = owner[np.where(winners == VACANT, len(candidate_party), winners)]
    out = np.zeros((winners.shape[0], len(parties)), np.int64)
    for i in range(len(parties)):
        out[:, i] = (holder == i).sum(axis=1)
    return out
