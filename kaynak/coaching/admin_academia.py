"""admin_academia (filled by its owner)."""
