"""The coaching URLs (/mentorluk/, English /en/coaching/), one module per area (each owns its
``urlpatterns``): assess (instruments and capacity assessments), engagements (coaching
engagements, plans, sessions, rounds). The academia programme has its own namespace,
``kaynak.coaching.urls.academia`` (/akademi/, English /en/academia/)."""

from kaynak.coaching.urls import assess, engagements

app_name = "coaching"
urlpatterns = [
    *assess.urlpatterns,
    *engagements.urlpatterns,
]
