"""The coaching app's demo: coaching engagements with assessments, plans and sessions
(``demo_coaching``), and NGO–academia partnerships in ten provinces (``demo_academia``)."""

from __future__ import annotations

from kaynak.coaching import demo_academia, demo_coaching
from kaynak.core.demo import DemoContext


def build(context: DemoContext) -> None:
    demo_coaching.build(context)
    demo_academia.build(context)
