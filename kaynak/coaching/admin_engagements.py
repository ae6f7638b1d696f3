"""admin_engagements (filled by its owner)."""
