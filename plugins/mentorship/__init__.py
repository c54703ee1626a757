"""Mentorship programmes in groups: sign-up, explained optimal matching, guided weekly steps.

For now this package holds only the matching engine (``plugins.mentorship.matching``), a pure
module with no Flask and no database that the plugin's views and API call with plain values.
"""
