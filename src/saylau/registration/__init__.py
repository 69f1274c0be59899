"""Registration: lists and district candidates checked against the law, and seats that fall vacant.

Pure core: typed refusals and outcomes, no words (reports/registration.py words them) and no I/O.
"""

from saylau.registration.checks import Refusal, RegistrationCheck, Rule, check_registration, in_quota, meets_quota

__all__ = ["Refusal", "RegistrationCheck", "Rule", "check_registration", "in_quota", "meets_quota"]
