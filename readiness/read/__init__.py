"""Read-side queries for headquarters dashboards: SQL aggregation over result snapshots.

Each function issues a fixed number of queries whatever the number of delegations or
assessments; views and the API call these, never the ORM directly.
"""
