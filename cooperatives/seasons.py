"""Seasons: the unit of the certified mass balance, the plausibility flags and the dashboard's figures.

A season is a calendar year, as the demo's seasons are: cocoa in Peru is picked all year round.
"""

import datetime

# The first season the faces accept: purchases before Minka are not in it.
FIRST_SEASON = 2000


def season_of(day):
    return day.year


def season_bounds(season):
    """The first and last day of a season."""
    return datetime.date(season, 1, 1), datetime.date(season, 12, 31)
