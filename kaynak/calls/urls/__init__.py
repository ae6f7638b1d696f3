"""The calls' URLs, one module per area (each owns its ``urlpatterns``): public (the calls
people may apply to), staff (building calls), apply (an applicant's drafts and submissions),
review (reviewers, score sheets, decisions)."""

from kaynak.calls.urls import apply, public, review, staff

app_name = "calls"
urlpatterns = [
    *public.urlpatterns,
    *staff.urlpatterns,
    *apply.urlpatterns,
    *review.urlpatterns,
]
