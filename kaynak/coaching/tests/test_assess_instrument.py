"""The default instrument (shipped by a data migration) and versions: a version with
assessments is frozen (the admin refuses changes with the reason), a new version copies the
old one and becomes current, the old one staying with its assessments."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.coaching import assessing, instrument_data
from kaynak.coaching.admin_assess import DimensionAdminForm, IndicatorAdminForm
from kaynak.coaching.models import Dimension, Indicator, Instrument
from kaynak.coaching.tests.assess_support import answered, logged_in, ngo_admin
from kaynak.coaching.tests.factories import LEVELS, small_instrument

pytestmark = pytest.mark.django_db

SEVEN = [
    "yonetisim",
    "strateji",
    "mali-yonetim",
    "insan-kaynaklari",
    "program-yonetimi",
    "dis-iliskiler",
    "dijital",
]


def test_the_default_instrument_has_seven_dimensions_in_order() -> None:
    instrument = assessing.default_instrument()
    assert (instrument.slug, instrument.version, instrument.is_current) == (
        "kaynak-kapasite",
        1,
        True,
    )
    assert instrument.name == "Kaynak Örgütsel Kapasite Aracı"
    assert instrument.name_en == "Kaynak Organisational Capacity Tool"
    assert [d.key for d in instrument.dimensions.order_by("position")] == SEVEN


def test_every_default_question_has_four_levels_in_both_languages() -> None:
    instrument = assessing.default_instrument()
    for dimension in instrument.dimensions.all():
        assert dimension.name
        assert dimension.name_en
        questions = list(dimension.indicators.all())
        assert 3 <= len(questions) <= 4, dimension.key
        for question in questions:
            assert question.text.strip()
            assert question.text_en.strip()
            assert len(question.levels) == 4, question.key
            for level in question.levels:
                assert level["tr"].strip(), question.key
                assert level["en"].strip(), question.key


def test_the_data_file_is_what_the_migration_installed() -> None:
    data = instrument_data.read()
    installed = assessing.indicators_of(assessing.default_instrument())
    assert [q["key"] for d in data["dimensions"] for q in d["indicators"]] == [
        i.key for i in installed
    ]


def test_a_new_version_copies_the_instrument_and_becomes_current() -> None:
    old = small_instrument()
    answered({"gov-1": 2, "gov-2": 2, "fin-1": 2, "fin-2": 2}, instrument=old)
    new = assessing.instrument_new_version(instrument=old, actor=None)
    old.refresh_from_db()
    assert (new.slug, new.version, new.is_current) == (old.slug, 2, True)
    assert not old.is_current
    assert [(i.dimension.key, i.key, i.text, i.levels) for i in assessing.indicators_of(new)] == [
        (i.dimension.key, i.key, i.text, i.levels) for i in assessing.indicators_of(old)
    ]
    assert old.assessments.count() == 1
    assert new.assessments.count() == 0
    third = assessing.instrument_new_version(instrument=old, actor=None)
    assert third.version == 3
    assert Instrument.objects.filter(slug=old.slug, is_current=True).get() == third


def test_a_version_with_assessments_is_frozen() -> None:
    instrument = small_instrument()
    assert not assessing.instrument_is_frozen(instrument)
    answered({"gov-1": 2}, instrument=instrument, complete=False)
    assert assessing.instrument_is_frozen(instrument)


def test_the_admin_forms_refuse_to_change_a_frozen_version() -> None:
    instrument = small_instrument()
    answered({"gov-1": 2}, instrument=instrument, complete=False)
    dimension = Dimension.objects.get(instrument=instrument, key="gov")
    form = DimensionAdminForm(
        instance=dimension,
        data={"key": "gov", "position": 0, "name": "Yönetişim ve hesap verebilirlik"},
    )
    assert not form.is_valid()
    assert "already has assessments" in str(form.non_field_errors())
    indicator = Indicator.objects.get(key="gov-1", dimension=dimension)
    question_form = IndicatorAdminForm(
        instance=indicator,
        data={
            "key": "gov-1",
            "position": 1,
            "text": "Başka bir soru",
            "text_en": "",
            "levels": '[{"tr": "a"}, {"tr": "b"}, {"tr": "c"}, {"tr": "d"}]',
        },
    )
    assert not question_form.is_valid()
    dimension.refresh_from_db()
    assert dimension.name == "Yönetişim"


def test_the_admin_form_of_a_free_version_accepts_a_change_but_wants_four_levels() -> None:
    instrument = small_instrument()
    indicator = Indicator.objects.get(key="gov-1", dimension__instrument=instrument)
    three = IndicatorAdminForm(
        instance=indicator,
        data={"key": "gov-1", "position": 1, "text": "Soru", "levels": '[{"tr": "a"}]'},
    )
    assert not three.is_valid()
    assert "levels" in three.errors
    four = IndicatorAdminForm(
        instance=indicator,
        data={"key": "gov-1", "position": 1, "text": "Soru", "levels": json.dumps(LEVELS)},
    )
    assert four.is_valid(), four.errors


def test_the_admin_shows_a_frozen_version_read_only_and_makes_a_new_version() -> None:
    coordinator = StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])
    client = Client()
    client.force_login(coordinator)
    instrument = small_instrument()
    answered({"gov-1": 2}, instrument=instrument, complete=False)
    page = client.get(reverse("admin:coaching_instrument_change", args=[instrument.pk]))
    assert page.status_code == 200
    assert "already has assessments" in page.content.decode()
    response = client.post(
        reverse("admin:coaching_instrument_changelist"),
        {"action": "make_new_version", "_selected_action": [instrument.pk]},
    )
    assert response.status_code == 302
    assert Instrument.objects.get(slug=instrument.slug, is_current=True).version == 2


def test_an_ngo_member_cannot_open_the_instrument_admin() -> None:
    response = logged_in(ngo_admin()).get(reverse("admin:coaching_instrument_changelist"))
    assert response.status_code in (302, 403, 404)
