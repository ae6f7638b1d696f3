"""Turkey's reference data, loaded by data migrations; slugs are stable (other apps rely on them)."""

# NUTS-1 (İBBS Düzey 1) statistical regions: code, Turkish name, English name.
REGIONS = [
    ("TR1", "İstanbul", "Istanbul"),
    ("TR2", "Batı Marmara", "West Marmara"),
    ("TR3", "Ege", "Aegean"),
    ("TR4", "Doğu Marmara", "East Marmara"),
    ("TR5", "Batı Anadolu", "West Anatolia"),
    ("TR6", "Akdeniz", "Mediterranean"),
    ("TR7", "Orta Anadolu", "Central Anatolia"),
    ("TR8", "Batı Karadeniz", "West Black Sea"),
    ("TR9", "Doğu Karadeniz", "East Black Sea"),
    ("TRA", "Kuzeydoğu Anadolu", "Northeast Anatolia"),
    ("TRB", "Ortadoğu Anadolu", "Central East Anatolia"),
    ("TRC", "Güneydoğu Anadolu", "Southeast Anatolia"),
]

# The 81 provinces (il): plate code, name, NUTS-1 region.
PROVINCES = [
    (1, "Adana", "TR6"), (2, "Adıyaman", "TRC"), (3, "Afyonkarahisar", "TR3"),
    (4, "Ağrı", "TRA"), (5, "Amasya", "TR8"), (6, "Ankara", "TR5"), (7, "Antalya", "TR6"),
    (8, "Artvin", "TR9"), (9, "Aydın", "TR3"), (10, "Balıkesir", "TR2"), (11, "Bilecik", "TR4"),
    (12, "Bingöl", "TRB"), (13, "Bitlis", "TRB"), (14, "Bolu", "TR4"), (15, "Burdur", "TR6"),
    (16, "Bursa", "TR4"), (17, "Çanakkale", "TR2"), (18, "Çankırı", "TR8"), (19, "Çorum", "TR8"),
    (20, "Denizli", "TR3"), (21, "Diyarbakır", "TRC"), (22, "Edirne", "TR2"),
    (23, "Elazığ", "TRB"), (24, "Erzincan", "TRA"), (25, "Erzurum", "TRA"),
    (26, "Eskişehir", "TR4"), (27, "Gaziantep", "TRC"), (28, "Giresun", "TR9"),
    (29, "Gümüşhane", "TR9"), (30, "Hakkari", "TRB"), (31, "Hatay", "TR6"),
    (32, "Isparta", "TR6"), (33, "Mersin", "TR6"), (34, "İstanbul", "TR1"), (35, "İzmir", "TR3"),
    (36, "Kars", "TRA"), (37, "Kastamonu", "TR8"), (38, "Kayseri", "TR7"),
    (39, "Kırklareli", "TR2"), (40, "Kırşehir", "TR7"), (41, "Kocaeli", "TR4"),
    (42, "Konya", "TR5"), (43, "Kütahya", "TR3"), (44, "Malatya", "TRB"), (45, "Manisa", "TR3"),
    (46, "Kahramanmaraş", "TR6"), (47, "Mardin", "TRC"), (48, "Muğla", "TR3"), (49, "Muş", "TRB"),
    (50, "Nevşehir", "TR7"), (51, "Niğde", "TR7"), (52, "Ordu", "TR9"), (53, "Rize", "TR9"),
    (54, "Sakarya", "TR4"), (55, "Samsun", "TR8"), (56, "Siirt", "TRC"), (57, "Sinop", "TR8"),
    (58, "Sivas", "TR7"), (59, "Tekirdağ", "TR2"), (60, "Tokat", "TR8"), (61, "Trabzon", "TR9"),
    (62, "Tunceli", "TRB"), (63, "Şanlıurfa", "TRC"), (64, "Uşak", "TR3"), (65, "Van", "TRB"),
    (66, "Yozgat", "TR7"), (67, "Zonguldak", "TR8"), (68, "Aksaray", "TR7"),
    (69, "Bayburt", "TRA"), (70, "Karaman", "TR5"), (71, "Kırıkkale", "TR7"),
    (72, "Batman", "TRC"), (73, "Şırnak", "TRC"), (74, "Bartın", "TR8"), (75, "Ardahan", "TRA"),
    (76, "Iğdır", "TRA"), (77, "Yalova", "TR4"), (78, "Karabük", "TR8"), (79, "Kilis", "TRC"),
    (80, "Osmaniye", "TR6"), (81, "Düzce", "TR4"),
]

# English exonyms where English usage differs from the Turkish name.
PROVINCE_NAMES_EN = {34: "Istanbul"}

# Theme taxonomy: slug, Turkish label, English label.
THEMES = [
    ("children", "Çocuk", "Children"),
    ("youth", "Gençlik", "Youth"),
    ("women", "Kadın", "Women"),
    ("gender-equality", "Toplumsal cinsiyet eşitliği", "Gender equality"),
    ("lgbti", "LGBTİ+", "LGBTI+"),
    ("disability", "Engellilik", "Disability"),
    ("ageing", "Yaşlılık", "Ageing"),
    ("human-rights", "İnsan hakları", "Human rights"),
    ("freedom-of-expression", "İfade özgürlüğü", "Freedom of expression"),
    ("media", "Medya", "Media"),
    ("democracy", "Demokrasi ve katılım", "Democracy and participation"),
    ("civil-society", "Sivil toplum", "Civil society"),
    ("migration", "Göç ve mülteciler", "Migration and refugees"),
    ("health", "Sağlık", "Health"),
    ("poverty", "Yoksulluk ve sosyal içerme", "Poverty and social inclusion"),
    ("labour", "Emek ve istihdam", "Labour and employment"),
    ("environment", "Çevre ve iklim", "Environment and climate"),
    ("rural-development", "Kırsal kalkınma", "Rural development"),
    ("culture-arts", "Kültür ve sanat", "Culture and arts"),
    ("education", "Eğitim", "Education"),
    ("disaster", "Afet", "Disasters"),
    ("peace", "Barış ve diyalog", "Peace and dialogue"),
]

# Who may apply / who an organisation is: slug, Turkish label, English label.
APPLICANT_TYPES = [
    ("association", "Dernek", "Association"),
    ("foundation", "Vakıf", "Foundation"),
    ("cooperative", "Kooperatif", "Cooperative"),
    ("federation", "Federasyon / konfederasyon", "Federation / confederation"),
    ("platform", "Platform / ağ", "Platform / network"),
    ("informal-group", "Gayriresmi grup / inisiyatif", "Informal group / initiative"),
    ("university", "Üniversite", "University"),
    ("public-body", "Kamu kurumu", "Public body"),
    ("municipality", "Belediye", "Municipality"),
    ("chamber", "Meslek odası", "Professional chamber"),
    ("company", "Şirket", "Company"),
    ("individual", "Birey", "Individual"),
    ("union", "Sendika", "Trade union"),
]

# Kosovo has no ISO 3166 code of its own; XK is the user-assigned code the EU and others use.
EXTRA_COUNTRIES = [("XK", "Kosova", "Kosovo")]
