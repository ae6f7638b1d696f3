"""The coaching app's personal data in a person's export and erasure: coaching sessions
(``privacy_coaching``) and academic profiles and partnerships (``privacy_academia``)."""

from kaynak.coaching import privacy_academia, privacy_coaching  # noqa: F401 — they register
