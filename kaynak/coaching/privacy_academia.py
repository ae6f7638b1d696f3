"""privacy_academia (filled by its owner)."""
