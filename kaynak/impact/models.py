"""Indicators, their targets and manually reported values; donor report snapshots."""
