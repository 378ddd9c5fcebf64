"""The event and who takes part: events, municipalities, invitations, learning networks, joining.

Below `agenda` and `polls`, which use it; above `core`. It imports neither.
"""
