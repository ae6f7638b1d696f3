"""admin_assess (filled by its owner)."""
