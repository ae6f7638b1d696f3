"""Reference data over the API: regions, provinces, themes, applicant types, countries, money."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from kaynak.core.models import ApplicantType, Country, Currency, Province, Region, Theme
from kaynak.core.pagination import PageNumber

router = Router(tags=["reference data"])


class LabelOut(Schema):
    name_tr: str
    name_en: str


class RegionOut(LabelOut):
    code: str


class ProvinceOut(Schema):
    plate_code: int
    name: str
    name_en: str
    name_ascii: str
    region: str

    @staticmethod
    def resolve_region(obj: Province) -> str:
        return obj.region_id


class SlugLabelOut(LabelOut):
    slug: str


class CodeLabelOut(LabelOut):
    code: str


@router.get("/regions", response=list[RegionOut], summary="The 12 NUTS-1 regions")
def regions(request: HttpRequest) -> QuerySet[Region]:
    return Region.objects.all()


@router.get("/provinces", response=list[ProvinceOut], summary="The 81 provinces")
def provinces(request: HttpRequest) -> QuerySet[Province]:
    return Province.objects.all()


@router.get("/themes", response=list[SlugLabelOut], summary="The theme taxonomy")
def themes(request: HttpRequest) -> QuerySet[Theme]:
    return Theme.objects.all()


@router.get("/applicant-types", response=list[SlugLabelOut], summary="Applicant types")
def applicant_types(request: HttpRequest) -> QuerySet[ApplicantType]:
    return ApplicantType.objects.all()


@router.get("/countries", response=list[CodeLabelOut], summary="Countries (ISO 3166-1)")
@paginate(PageNumber)
def countries(request: HttpRequest, **kwargs: Any) -> QuerySet[Country]:
    return Country.objects.all()


@router.get("/currencies", response=list[CodeLabelOut], summary="Currencies (ISO 4217)")
@paginate(PageNumber)
def currencies(request: HttpRequest, **kwargs: Any) -> QuerySet[Currency]:
    return Currency.objects.all()
