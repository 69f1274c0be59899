"""The results service's use cases: plain functions taking a unit of work (a connection) and the actor.

    definition   import the election folder on first start, compare it on later starts
    users        users, argon2 passwords, sessions, login rate limit
    protocols    double data entry: enter, resolve, accept warnings, reopen (state machine in `states`)
    results      count, certify, results bundle, export to a folder, verify a bundle
    audit        the SHA-256 chained audit log
    permissions  roles x actions, commissions (districts)

docs/service.md describes this surface for the pages and for other front ends built on it.
"""
