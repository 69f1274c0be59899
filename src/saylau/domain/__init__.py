"""The election as the law describes it: body, parties, lists, districts, candidates and counted ballots;
and the election day (`ElectionDay`): every contest of one day, its polling stations and its commissions.

Plain frozen dataclasses with no I/O: loaders build them, the rest of the core reads them.
"""

from saylau.domain.count import BallotAccounting, BallotProgress, CountStatus, count_status
from saylau.domain.day import (
    CommissionLevel,
    Contest,
    DistrictRef,
    ElectionCommission,
    ElectionDay,
    PollingStation,
)
from saylau.domain.decisions import LotDecision, TieTier
from saylau.domain.election import (
    AGAINST_ALL,
    Body,
    Candidate,
    Commission,
    Constituency,
    District,
    Election,
    Party,
    PartyList,
    PreviousElection,
    PreviousParty,
    RankedBallot,
    Results,
    Tally,
    localised,
)
from saylau.domain.registration import Ballot, Nominee, Particulars, Registration, Sex

__all__ = [
    "AGAINST_ALL",
    "Ballot",
    "BallotAccounting",
    "BallotProgress",
    "Body",
    "Candidate",
    "Commission",
    "CommissionLevel",
    "Constituency",
    "Contest",
    "CountStatus",
    "District",
    "DistrictRef",
    "Election",
    "ElectionCommission",
    "ElectionDay",
    "LotDecision",
    "Nominee",
    "Particulars",
    "Party",
    "PartyList",
    "PollingStation",
    "PreviousElection",
    "PreviousParty",
    "RankedBallot",
    "Registration",
    "Results",
    "Sex",
    "Tally",
    "TieTier",
    "count_status",
    "localised",
]
