"""Demo accounts: a center admin, one colleague for each staff role, and NGO members."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from kaynak.accounts.models import Role, User
from kaynak.accounts.services import member_create, role_grant
from kaynak.core.demo import DEMO_ADMIN_EMAIL, DEMO_PASSWORD, DemoContext

STAFF = [
    (DEMO_ADMIN_EMAIL, "Elif Yılmaz", Role.CENTER_ADMIN),
    ("koordinator@kaynak.example", "Mehmet Öztürk", Role.PROGRAMME_COORDINATOR),
    ("destek@kaynak.example", "Zeynep Çelik", Role.SUPPORT_AGENT),
    ("radar@kaynak.example", "Ahmet Şahin", Role.RADAR_EDITOR),
    ("izleme@kaynak.example", "Ayşe Doğan", Role.ME_OFFICER),
    # An outside reviewer (an academic) who scores applications to calls.
    ("degerlendirici@kaynak.example", "Prof. Dr. Nesrin Aydın", Role.REVIEWER),
]

FIRST_NAMES = [
    "Deniz",
    "Can",
    "Selin",
    "Burak",
    "Gül",
    "Emre",
    "Hülya",
    "İbrahim",
    "Özge",
    "Umut",
    "Şule",
    "Barış",
    "Ceren",
    "Oğuz",
    "Işıl",
    "Serkan",
    "Nur",
    "Kerem",
    "Esra",
    "Tolga",
]
LAST_NAMES = [
    "Kaya",
    "Demir",
    "Arslan",
    "Koç",
    "Kurt",
    "Aydın",
    "Özdemir",
    "Polat",
    "Erdoğan",
    "Güneş",
    "Aksoy",
    "Çetin",
    "Yıldız",
    "Kılıç",
    "Uçar",
    "Bulut",
    "Ateş",
    "Tekin",
]

_ASCII = str.maketrans("çğıöşüÇĞİÖŞÜ", "cgiosuCGIOSU")


def build(context: DemoContext) -> None:
    members = 20 if context.scale == "small" else 200
    with context.step("Accounts", total=len(STAFF) + members) as advance:
        for email, name, role in STAFF:
            user = member_create(email=email, password=DEMO_PASSWORD, full_name=name, verified=True)
            role_grant(user=user, role=role, actor=None)
            advance()
        # One hash for all members: hashing is deliberately slow.
        hashed = make_password(DEMO_PASSWORD)
        for i in range(members):
            first, last = context.rng.choice(FIRST_NAMES), context.rng.choice(LAST_NAMES)
            email = f"{first}.{last}.{i + 1}@ornek-stk.org.tr".translate(_ASCII).lower()
            user = member_create(
                email=email, password=None, full_name=f"{first} {last}", verified=True
            )
            User.objects.filter(pk=user.pk).update(password=hashed)
            advance()
    context.count("accounts", len(STAFF) + members)
