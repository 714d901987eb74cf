"""The roles people have in a cooperative, as Django groups (created by migration 0003).

A role says what a person may do; their memberships say in which cooperatives.
"""

MANAGER = "cooperative manager"
FIELD_OFFICER = "field officer"
PARTNER = "partner"
AUDITOR = "auditor"

ALL = (MANAGER, FIELD_OFFICER, PARTNER, AUDITOR)
