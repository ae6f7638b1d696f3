"""A small demo library: FAQ answers on association and foundation law, accounts and tax and the
aid-collection rules; a PDF guide and a publication (made with WeasyPrint at demo time); two video
series (economic enterprises, aid-collection legislation); webinar recordings from the trainings
demo; news posts. Everything goes through ``services``, as the admin does.

The video ids are placeholders in YouTube's format ("KaynakEi01a"…): a center replaces them with
its own videos in the admin.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from kaynak.core.demo import DemoContext
from kaynak.core.models import Theme
from kaynak.library import services
from kaynak.library.models import (
    Category,
    NewsPost,
    PublicationStatus,
    Resource,
    ResourceKind,
    Series,
)
from kaynak.programmes.models import Session

CATEGORIES = [
    ("mevzuat", "Dernekler ve Vakıflar Mevzuatı", "Law on associations and foundations"),
    ("muhasebe-vergi", "Muhasebe ve Vergi", "Accounts and tax"),
    ("yardim-toplama", "Yardım Toplama ve Bağış", "Fundraising and aid collection"),
    ("proje-yonetimi", "Proje Yönetimi", "Project management"),
    ("ab-hibeleri", "AB Hibe Kuralları", "EU grant rules"),
    ("dijital", "Dijital Araçlar", "Digital tools"),
]

# (category, title, summary, body)
ARTICLES = [
    (
        "mevzuat",
        "Dernek kurmak için kaç kişi gerekir?",
        "Kurucu sayısı, kuruluş bildirimi ve ilk genel kurul.",
        "Bir dernek en az yedi gerçek veya tüzel kişi tarafından kurulabilir.\n\n"
        "Kurucular tüzüğü imzalar ve kuruluş bildirimini, tüzükle birlikte il sivil toplumla "
        "ilişkiler müdürlüğüne verir. Dernek, bildirimin verilmesiyle tüzel kişilik kazanır.\n\n"
        "İlk genel kurul, kuruluştan sonra en geç altı ay içinde toplanmalıdır.",
    ),
    (
        "mevzuat",
        "Genel kurul çağrısı nasıl yapılır?",
        "Çağrı süresi, ilan ve toplantı yeter sayısı.",
        "<p>Yönetim kurulu, genel kurula katılma hakkı bulunan üyelerin listesini düzenler. "
        "Üyeler toplantıdan <strong>en az 15 gün önce</strong> gün, saat, yer ve gündem "
        "bildirilerek çağrılır.</p><p>Çoğunluk sağlanamazsa ikinci toplantı ilk toplantıdan en "
        "az yedi, en çok altmış gün sonra yapılır.</p>",
    ),
    (
        "mevzuat",
        "Vakıf senedi nasıl değiştirilir?",
        "Senet değişikliği, mahkeme kararı ve Vakıflar Genel Müdürlüğü.",
        "Vakıf senedinde değişiklik, senette yetki verilmiş organın kararı ve mahkemenin "
        "onayıyla yapılır. Karar, Vakıflar Genel Müdürlüğüne bildirilir.",
    ),
    (
        "muhasebe-vergi",
        "Dernekler hangi defterleri tutar?",
        "İşletme hesabı ve bilanço esası, karar defteri, üye kayıt defteri.",
        "Dernekler karar defteri, üye kayıt defteri, evrak kayıt defteri, demirbaş defteri, "
        "alındı belgesi kayıt defteri ve işletme hesabı defteri tutar. Yıllık brüt geliri "
        "belirlenen sınırı aşan dernekler bilanço esasına göre defter tutar.\n\n"
        "Defterler kullanılmaya başlanmadan önce noterden ya da il müdürlüğünden onaylatılır.",
    ),
    (
        "muhasebe-vergi",
        "Bağış makbuzu nasıl düzenlenir?",
        "Alındı belgesi, bağışçıya verilen belge ve vergi indirimi.",
        "Derneğe yapılan bağışlar alındı belgesi ile kabul edilir. Alındı belgeleri "
        "matbaaya yönetim kurulu kararıyla bastırılır ve alındı belgesi kayıt defterine "
        "işlenir. Kamu yararına çalışan derneklere yapılan bağışlar bağışçının vergi "
        "matrahından indirilebilir.",
    ),
    (
        "muhasebe-vergi",
        "İktisadi işletme ne zaman kurulur?",
        "Derneğin ticari faaliyeti, kurumlar vergisi ve KDV.",
        "Dernek, amacına ulaşmak için düzenli olarak mal veya hizmet satıyorsa bu faaliyet "
        "iktisadi işletme sayılır ve kurumlar vergisi mükellefiyeti doğar. İktisadi işletme "
        "için vergi dairesine başvurulur ve ayrı defter tutulur.",
    ),
    (
        "yardim-toplama",
        "Yardım toplama izni nasıl alınır?",
        "2860 sayılı Kanun, valilik izni ve süreler.",
        "Dernekler ve vakıflar, üyeleri dışındaki kişilerden yardım toplamak için yardım "
        "toplama faaliyetinin yapılacağı yerin mülki idare amirliğinden izin alır. Birden "
        "fazla ilde yapılacak faaliyet için izin İçişleri Bakanlığından alınır.\n\n"
        "İzin en çok bir yıl için verilir; toplanan yardımlar bankada açılan ayrı bir "
        "hesapta tutulur.",
    ),
    (
        "yardim-toplama",
        "İnternetten bağış toplamak için izin gerekir mi?",
        "Çevrimiçi kampanyalar, sosyal medya ve kitlesel fonlama.",
        "Derneğin kendi üyeleri dışından internet üzerinden yapılan bağış kampanyaları da "
        "yardım toplama sayılır ve izne tabidir. Derneğin internet sitesinde banka hesabını "
        "göstermesi ise yardım toplama faaliyeti sayılmaz.",
    ),
    (
        "proje-yonetimi",
        "Proje bütçesinde dolaylı maliyetler",
        "Genel giderler, oranlar ve belgelendirme.",
        "Dolaylı maliyetler, projeye doğrudan bağlanamayan genel giderlerdir (kira, muhasebe, "
        "iletişim). Çoğu fon sağlayıcı bu giderleri doğrudan maliyetlerin belirli bir oranıyla "
        "sınırlar; oran ve belgeler başvuru rehberinde yazar.",
    ),
    (
        "ab-hibeleri",
        "AB projelerinde satın alma kuralları",
        "PRAG, teklif sayısı ve menşe kuralı.",
        "AB dış yardımlarıyla finanse edilen projelerde satın almalar PRAG kurallarına göre "
        "yapılır. Eşik değerlere göre tek teklif, üç teklif veya açık ihale gerekir.",
    ),
    (
        "dijital",
        "Dernekler için güvenli parola ve iki adımlı doğrulama",
        "Ortak hesaplar, parola yöneticisi ve yedekleme.",
        "Derneğin e-posta ve sosyal medya hesaplarında iki adımlı doğrulamayı açın, "
        "ortak hesapların parolalarını bir parola yöneticisinde saklayın ve ayrılan "
        "gönüllülerin erişimini hemen kaldırın.",
    ),
]

SERIES = [
    (
        "iktisadi-isletmeler",
        "Derneklerin İktisadi İşletmeleri",
        "Economic enterprises of associations",
        [
            ("İktisadi işletme nedir?", "KaynakEi01a"),
            ("Vergi mükellefiyeti ve defterler", "KaynakEi02b"),
            ("Kâr dağıtımı ve derneğe aktarım", "KaynakEi03c"),
        ],
    ),
    (
        "yardim-toplama-mevzuati",
        "Yardım Toplama Mevzuatı",
        "Aid-collection legislation",
        [
            ("Yardım toplama izni: kim, nereden alır?", "KaynakYt01a"),
            ("Kampanya sonrası raporlama", "KaynakYt02b"),
        ],
    ),
]

NEWS = [
    ("Yeni rehber: Dernek Kuruluş Rehberi yayında", "Kuruluş adımlarını anlatan rehberimiz "
     "kütüphanede."),
    ("Yardım toplama video serisi tamamlandı", "İki bölümlük serinin tüm videoları yayında."),
    ("Destek Noktası bu yıl 1.000'den fazla soruyu yanıtladı", "En çok sorulan konular "
     "mevzuat, muhasebe ve yardım toplama oldu."),
    ("Bayram nedeniyle Destek Noktası kapalı", "Bayram tatili boyunca gelen sorular "
     "tatilden sonraki ilk iş günü yanıtlanacak."),
]  # fmt: skip

GUIDE_HTML = """<html lang="tr"><head><meta charset="utf-8"><style>
body {{ font-family: sans-serif; font-size: 11pt; }} h1 {{ color: #1d4e89; }}
</style></head><body><h1>{title}</h1>{body}</body></html>"""

GUIDE_BODY = (
    "<p>Bu rehber bir dernek kurmak isteyenler için adım adım yol gösterir.</p>"
    "<h2>1. Kurucular ve tüzük</h2><p>En az yedi kurucu, derneğin amacını, üyelik koşullarını "
    "ve organlarını yazan bir tüzük hazırlar.</p>"
    "<h2>2. Kuruluş bildirimi</h2><p>Kuruluş bildirimi ve tüzük il sivil toplumla ilişkiler "
    "müdürlüğüne verilir; dernek bununla tüzel kişilik kazanır.</p>"
    "<h2>3. Defterler ve ilk genel kurul</h2><p>Defterler onaylatılır; ilk genel kurul altı "
    "ay içinde toplanır.</p>"
)


def _pdf(title: str, body: str) -> ContentFile[bytes] | None:
    """A PDF made with WeasyPrint, or None where its system libraries are missing."""
    try:
        import weasyprint

        data = weasyprint.HTML(string=GUIDE_HTML.format(title=title, body=body)).write_pdf()
    except OSError:
        return None
    return ContentFile(data or b"", name="rehber.pdf")


def build(context: DemoContext) -> None:
    now = context.now
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    civil = [themes[slug] for slug in ("civil-society",) if slug in themes]
    categories = {}
    for position, (slug, name_tr, name_en) in enumerate(CATEGORIES):
        categories[slug], _created = Category.objects.get_or_create(
            slug=slug, defaults={"name_tr": name_tr, "name_en": name_en, "position": position}
        )

    def save(resource: Resource) -> None:
        if not Resource.objects.filter(slug=services.make_slug(resource.title)).exists():
            services.resource_save(resource=resource, actor=None, themes=civil)
            context.count("library resources", 1)

    with context.step("Library", total=len(ARTICLES) + 6) as advance:
        for n, (category, title, summary, body) in enumerate(ARTICLES):
            save(
                Resource(
                    kind=ResourceKind.ARTICLE,
                    title=title,
                    summary=summary,
                    body=body,
                    category=categories[category],
                    status=PublicationStatus.PUBLISHED,
                    published_at=now - dt.timedelta(days=7 * n + 3),
                    helpful_yes=context.rng.randint(3, 40),
                    helpful_no=context.rng.randint(0, 6),
                )
            )
            advance()

        for kind, title, category in (
            (ResourceKind.DOCUMENT, "Dernek Kuruluş Rehberi", "mevzuat"),
            (ResourceKind.PUBLICATION, "Sivil Toplum ve Yardım Toplama", "yardim-toplama"),
        ):
            pdf = _pdf(title, GUIDE_BODY)
            if pdf is not None:
                save(
                    Resource(
                        kind=kind,
                        title=title,
                        summary="PDF, 2 sayfa.",
                        file=pdf,
                        category=categories[category],
                        status=PublicationStatus.PUBLISHED,
                        published_at=now - dt.timedelta(days=20),
                    )
                )
            advance()

        for position, (slug, name_tr, name_en, videos) in enumerate(SERIES):
            series, _created = Series.objects.get_or_create(
                slug=slug, defaults={"name_tr": name_tr, "name_en": name_en, "position": position}
            )
            for number, (title, video_id) in enumerate(videos, start=1):
                save(
                    Resource(
                        kind=ResourceKind.VIDEO,
                        title=title,
                        summary=f"{name_tr}, {number}. bölüm.",
                        video_url=f"https://www.youtube.com/watch?v={video_id}",
                        series=series,
                        series_position=number,
                        category=categories[
                            "muhasebe-vergi" if position == 0 else "yardim-toplama"
                        ],
                        status=PublicationStatus.PUBLISHED,
                        published_at=now - dt.timedelta(days=30 - number),
                    )
                )
            advance()

        recorded = (
            Session.objects.exclude(recording_url="")
            .filter(starts_at__lt=now)
            .select_related("activity")
            .order_by("-starts_at")[:3]
        )
        for session in recorded:
            save(
                Resource(
                    kind=ResourceKind.RECORDING,
                    title=f"Webinar kaydı: {session.activity.title}",
                    summary="Eğitim programımızdaki webinarın kaydı.",
                    recording_session=session,
                    status=PublicationStatus.PUBLISHED,
                    published_at=session.starts_at + dt.timedelta(days=1),
                )
            )
        advance(2)

        for n, (title, summary) in enumerate(NEWS):
            if not NewsPost.objects.filter(slug=services.make_slug(title)).exists():
                services.news_save(
                    post=NewsPost(
                        title=title,
                        summary=summary,
                        body=summary,
                        status=PublicationStatus.PUBLISHED,
                        published_at=now - dt.timedelta(days=10 * n + 1),
                    ),
                    actor=None,
                )
                context.count("news posts", 1)
