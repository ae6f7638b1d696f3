"""Feedback pages: the survey by signed link, and the staff results per activity and trainer."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.directory.tests.factories import PersonFactory
from kaynak.programmes import feedback, links
from kaynak.programmes.models import FeedbackResponse
from kaynak.programmes.tests.factories import (
    RegistrationFactory,
    TrainerFactory,
    attended,
    past_activity_with_sessions,
)
from kaynak.programmes.views import feedback as views

pytestmark = pytest.mark.django_db

ANSWERS = {
    "content": "5",
    "trainer": "4",
    "organisation": "3",
    "knowledge_before": "2",
    "knowledge_after": "4",
    "comment": "Örnekler çok işe yaradı.",
}


def survey_url(registration, language: str = "tr") -> str:
    return url("programmes:feedback", links.registration_token(registration), language=language)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def registration():
    activity = past_activity_with_sessions(2, title="Sosyal Medya ve İletişim Eğitimi")
    return attended(RegistrationFactory.create(activity=activity), sessions=1)


# The survey -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_survey_opens_by_the_signed_link(client, registration, language):
    response = client.get(survey_url(registration, language))

    assert response.status_code == 200
    assertContains(response, "Sosyal Medya ve İletişim Eğitimi")
    for name in ("content", "trainer", "organisation", "knowledge_before", "knowledge_after"):
        assertContains(response, f'name="{name}"', count=5)
    assertContains(response, 'name="comment"')


def test_answering_saves_the_answers_and_thanks(client, registration):
    response = client.post(survey_url(registration, "en"), ANSWERS)

    assert response.status_code == 200
    assertContains(response, "Thank you")
    answer = FeedbackResponse.objects.get()
    assert (answer.content, answer.trainer, answer.organisation) == (5, 4, 3)
    assert answer.comment == "Örnekler çok işe yaradı."
    assert answer.registration == registration


def test_a_missing_rating_is_explained_next_to_it_and_the_rest_is_kept(client, registration):
    response = client.post(survey_url(registration, "en"), {**ANSWERS, "organisation": ""})

    assert response.status_code == 200
    assertContains(response, "Choose a rating from 1 to 5.", count=1)
    assertContains(response, "Örnekler çok işe yaradı.")
    assertContains(response, 'value="5" id="id_content_4" required checked')
    assert not FeedbackResponse.objects.exists()


def test_a_second_answer_is_refused_with_a_clear_message(client, registration):
    client.post(survey_url(registration), ANSWERS)

    again = client.post(survey_url(registration, "en"), {**ANSWERS, "content": "1"})

    assertContains(again, "You have already answered this survey.")
    assertNotContains(again, 'name="content"')
    assert list(FeedbackResponse.objects.values_list("content", flat=True)) == [5]


@pytest.mark.parametrize("language", ["tr", "en"])
def test_a_forged_link_is_a_404_page_that_says_so(client, registration, language):
    token = links.registration_token(registration)[:-3] + "abc"

    response = client.get(url("programmes:feedback", token, language=language))

    assert response.status_code == 404
    assertContains(response, "<h1>", status_code=404)
    assert not FeedbackResponse.objects.exists()


def test_the_forged_link_sentence_in_english(client, registration):
    response = client.get(url("programmes:feedback", "forged", language="en"))

    assertContains(response, "This survey link does not work", status_code=404)


def test_someone_who_did_not_attend_is_told_the_survey_is_not_for_them(client):
    registration = RegistrationFactory.create(activity=past_activity_with_sessions(1))

    response = client.get(survey_url(registration, "en"))

    assertContains(response, "The survey is for those who attended the activity.")
    assertNotContains(response, 'name="content"')


def test_an_anonymous_survey_says_so_and_keeps_no_link(client):
    activity = past_activity_with_sessions(1, feedback_anonymous=True)
    registration = attended(RegistrationFactory.create(activity=activity))

    page = client.get(survey_url(registration, "en"))
    client.post(survey_url(registration), ANSWERS)

    assertContains(page, "This survey is anonymous")
    assert FeedbackResponse.objects.get().registration is None


# Results ----------------------------------------------------------------------------------------


def answered(activity, name: str, **ratings):
    registration = attended(
        RegistrationFactory.create(activity=activity, person=PersonFactory.create(full_name=name))
    )
    values = {key: int(value) for key, value in ANSWERS.items() if key != "comment"}
    return feedback.submit_feedback(
        registration=registration,
        comment=ratings.pop("comment", ""),
        **{**values, **ratings},
    )


@pytest.mark.parametrize(
    "role", [Role.PROGRAMME_COORDINATOR, Role.ME_OFFICER], ids=["coordinator", "me-officer"]
)
def test_the_results_page_shows_averages_and_comments(role):
    activity = past_activity_with_sessions(1)
    trainer = TrainerFactory.create(name="Doç. Dr. Gökçe Işık")
    activity.trainers.add(trainer)
    answered(activity, "Ayşe Demir", content=5, comment="Çok faydalı")
    answered(activity, "Cem Öztürk", content=2)

    response = logged_in(StaffFactory.create(roles=[role])).get(
        url("programmes:staff-feedback", activity.pk, language="en")
    )

    assert response.status_code == 200
    assertContains(response, "<strong>3.5</strong> / 5")  # content: (5 + 2) / 2
    assertContains(response, "Çok faydalı")
    assertContains(response, "Ayşe Demir")  # not anonymous: staff see who said it
    assertContains(response, url("programmes:staff-trainer-feedback", trainer.pk, language="en"))
    assertContains(response, '<meter min="0" max="2" value="1"', count=2)  # content 2 and 5


def test_anonymous_comments_carry_no_name(client):
    activity = past_activity_with_sessions(1, feedback_anonymous=True)
    answered(activity, "Ayşe Demir", comment="Salon küçüktü")

    response = logged_in(StaffFactory.create(roles=[Role.ME_OFFICER])).get(
        url("programmes:staff-feedback", activity.pk)
    )

    assertContains(response, "Salon küçüktü")
    assertNotContains(response, "Ayşe Demir")


def test_the_trainer_page_sums_up_all_their_activities():
    trainer = TrainerFactory.create(name="Doç. Dr. Gökçe Işık")
    for title, score in (("Hibe Yazımı", 5), ("Bütçe Hazırlama", 3)):
        activity = past_activity_with_sessions(1, title=title)
        activity.trainers.add(trainer)
        answered(activity, "Katılımcı", trainer=score)

    response = logged_in(StaffFactory.create(roles=[Role.ME_OFFICER])).get(
        url("programmes:staff-trainer-feedback", trainer.pk, language="en")
    )

    assert response.status_code == 200
    assertContains(response, "Doç. Dr. Gökçe Işık")
    assertContains(response, "Hibe Yazımı")
    assertContains(response, "Bütçe Hazırlama")
    assertContains(response, "<strong>4.0</strong> / 5")  # trainer: (5 + 3) / 2


@pytest.mark.parametrize(
    "user",
    [
        pytest.param(lambda: UserFactory.create(), id="member"),
        pytest.param(lambda: StaffFactory.create(roles=[Role.SUPPORT_AGENT]), id="support"),
    ],
)
def test_the_results_are_for_programme_staff_only(user):
    activity = past_activity_with_sessions(1)
    trainer = TrainerFactory.create()
    client = logged_in(user())

    assert client.get(url("programmes:staff-feedback", activity.pk)).status_code == 404
    assert client.get(url("programmes:staff-trainer-feedback", trainer.pk)).status_code == 404


def test_a_visitor_is_sent_to_log_in_for_the_results(client):
    activity = past_activity_with_sessions(1)

    assert client.get(url("programmes:staff-feedback", activity.pk)).status_code == 302


def test_the_results_page_takes_the_same_queries_however_many_answers(django_assert_num_queries):
    activity = past_activity_with_sessions(1)
    client = logged_in(StaffFactory.create(roles=[Role.ME_OFFICER]))
    page = url("programmes:staff-feedback", activity.pk)
    answered(activity, "Bir", comment="bir")
    client.get(page)  # warm the caches a first visit fills
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    for index in range(5):
        answered(activity, f"Kişi {index}", comment=f"yorum {index}")

    with django_assert_num_queries(len(few)):
        response = client.get(page)

    assertContains(response, "yorum 4")


@pytest.mark.parametrize(
    ("name", "args", "view"),
    [
        ("programmes:feedback", ("a:b:c",), views.survey),
        ("programmes:staff-feedback", (1,), views.activity_results),
        ("programmes:staff-trainer-feedback", (1,), views.trainer_results),
    ],
)
@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_addresses_reach_these_pages_not_another_areas(name, args, view, language):
    with translation.override(language):
        assert resolve(url(name, *args, language=language)).func == view
