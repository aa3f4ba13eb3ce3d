"""What the demo campaign says and where it happens: the call in four languages, organizations, titles."""

import itertools

from groundswell.actions.models import Action

# --- the call ---------------------------------------------------------------------------------------------

CALL = {
    "en": (
        "Clean Water Weeks: safe, affordable water for everyone",
        "Water is not a luxury. Yet in cities and villages across the world, families still boil what "
        "comes out of the tap, pay a day's wages for a few containers of water, or have their supply cut "
        "off because they fell behind on a bill. Pipes leak, wells run dry, and rivers carry whatever "
        "factories and sewers pour into them.\n\n"
        "For fifteen days, neighbourhood groups, unions, schools and environmental organizations hold info "
        "stands, public meetings, vigils and marches to say one simple thing: **safe drinking water is a "
        "right, and it must be affordable for every household.**\n\n"
        "Join an action near you, bring your neighbours, or register your own. On the two days of action "
        "we stand together, in every time zone.",
        [
            "Test public drinking water regularly and publish every result in plain language.",
            "Guarantee every household a basic daily amount of water free of charge, whatever it can pay.",
            "End the disconnection of homes for unpaid water bills.",
            "Invest in repairing leaking pipes and in bringing safe water to every neighbourhood and "
            "village.",
            "Protect rivers, lakes and groundwater from pollution and over-extraction.",
            "Give residents a real say in how water services are run and priced.",
        ],
    ),
    "fr": (
        "Semaines de l'eau propre : une eau potable sûre et abordable pour tout le monde",
        "L'eau n'est pas un luxe. Pourtant, dans des villes et des villages du monde entier, des familles "
        "font encore bouillir ce qui sort du robinet, dépensent une journée de salaire pour quelques bidons "
        "d'eau, ou se voient couper l'eau parce qu'elles ont pris du retard sur une facture. Les "
        "canalisations fuient, les puits s'assèchent et les rivières charrient tout ce que les usines et "
        "les égouts y déversent.\n\n"
        "Pendant quinze jours, des collectifs de quartier, des syndicats, des écoles et des associations "
        "environnementales tiennent des stands d'information, des réunions publiques, des veillées et des "
        "marches pour dire une chose simple : **l'eau potable est un droit, et elle doit être abordable "
        "pour chaque foyer.**\n\n"
        "Rejoignez une action près de chez vous, venez avec vos voisines et vos voisins, ou inscrivez la "
        "vôtre. Lors des deux journées d'action, nous serons ensemble, dans tous les fuseaux horaires.",
        [
            "Analyser régulièrement l'eau potable du réseau public et publier chaque résultat dans un "
            "langage clair.",
            "Garantir gratuitement à chaque foyer une quantité d'eau de base par jour, quels que soient "
            "ses moyens.",
            "Mettre fin aux coupures d'eau des logements pour factures impayées.",
            "Investir dans la réparation des canalisations qui fuient et amener l'eau potable dans chaque "
            "quartier et chaque village.",
            "Protéger les rivières, les lacs et les nappes phréatiques de la pollution et de la "
            "surexploitation.",
            "Donner aux habitantes et aux habitants un vrai droit de regard sur la gestion et le prix de "
            "l'eau.",
        ],
    ),
    "es": (
        "Semanas por el Agua Limpia: agua potable segura y asequible para todas las personas",
        "El agua no es un lujo. Sin embargo, en ciudades y pueblos de todo el mundo, muchas familias "
        "todavía tienen que hervir lo que sale del grifo, pagan el salario de un día por unos pocos bidones "
        "de agua o sufren cortes de suministro por haberse atrasado con una factura. Las tuberías pierden "
        "agua, los pozos se secan y los ríos arrastran todo lo que les arrojan las fábricas y las "
        "alcantarillas.\n\n"
        "Durante quince días, asociaciones vecinales, sindicatos, escuelas y organizaciones ambientales "
        "organizan puestos informativos, asambleas públicas, vigilias y marchas para decir algo sencillo: "
        "**el agua potable es un derecho y debe ser asequible para todos los hogares.**\n\n"
        "Súmate a una acción cerca de ti, trae a tus vecinas y vecinos o registra la tuya. En las dos "
        "jornadas de acción estaremos juntos, en todos los husos horarios.",
        [
            "Analizar con regularidad el agua potable de la red pública y publicar todos los resultados "
            "en un lenguaje claro.",
            "Garantizar a cada hogar una cantidad básica diaria de agua gratuita, sin importar lo que "
            "pueda pagar.",
            "Poner fin a los cortes de agua en las viviendas por facturas impagadas.",
            "Invertir en reparar las tuberías con fugas y en llevar agua potable a cada barrio y cada "
            "comunidad.",
            "Proteger los ríos, los lagos y las aguas subterráneas de la contaminación y la "
            "sobreexplotación.",
            "Dar a la población una voz real en la gestión y el precio del agua.",
        ],
    ),
    "ar": (
        "أسابيع المياه النظيفة: مياه شرب آمنة وميسورة التكلفة للجميع",
        "الماء ليس ترفًا. ومع ذلك، لا تزال أسر كثيرة في مدن وقرى حول العالم تغلي ما يخرج من الصنبور قبل "
        "شربه، وتدفع أجر يوم كامل ثمنًا لبضع عبوات من الماء، أو ينقطع عنها الماء لأنها تأخرت في سداد "
        "فاتورة. الأنابيب تتسرب، والآبار تجف، والأنهار تحمل كل ما تلقيه فيها المصانع ومياه الصرف.\n\n"
        "على مدى خمسة عشر يومًا، تنظّم لجان الأحياء والنقابات والمدارس والجمعيات البيئية أكشاكًا إعلامية "
        "واجتماعات عامة ووقفات ومسيرات لتقول شيئًا بسيطًا: **مياه الشرب الآمنة حق، ويجب أن تكون في متناول "
        "كل أسرة.**\n\n"
        "انضمّوا إلى نشاط قريب منكم، وادعوا جيرانكم، أو سجّلوا نشاطكم الخاص. في يومَي التحرّك نقف معًا، "
        "في كل المناطق الزمنية.",
        [
            "فحص مياه الشرب العامة بانتظام ونشر جميع النتائج بلغة واضحة.",
            "ضمان كمية أساسية يومية من المياه مجانًا لكل أسرة، مهما كانت قدرتها على الدفع.",
            "وقف قطع المياه عن المنازل بسبب الفواتير غير المدفوعة.",
            "الاستثمار في إصلاح الأنابيب المتسربة وإيصال مياه الشرب الآمنة إلى كل حي وكل قرية.",
            "حماية الأنهار والبحيرات والمياه الجوفية من التلوث والاستنزاف.",
            "منح السكان صوتًا حقيقيًا في إدارة خدمات المياه وتحديد أسعارها.",
        ],
    ),
}

# --- places and people --------------------------------------------------------------------------------------

# Countries with a weight (how many actions, relatively) and how many of their largest cities to use.
_COUNTRY_TIERS = (
    (5, 25, "US IN BR NG MX DE FR GB ID PH KE ZA"),
    (3, 12, "ES IT CA AR CO PE CL EG MA TR BD PK JP KR AU NL PL GH UG TZ ET VN TH"),
    (1, 6, "BE PT SE NO DK FI IE AT CH CZ HU RO GR UA BG RS HR TN DZ JO LB IQ SN CI CM CD ZM ZW MZ MW RW NP "
           "LK MY NZ EC BO UY PY VE GT HN NI CR PA DO JM SV MN KH FJ MG ML BF NE BJ TG"),
)  # fmt: skip
# The organizer's language (for the emails we send them), among the interface's languages.
_LANGUAGES = {
    "fr": "FR BE SN CI CM CD ML BF NE BJ TG MG",
    "es": "ES MX AR CO PE CL EC BO UY PY VE GT HN NI CR PA DO SV",
    "de": "DE AT CH",
    "ar": "EG MA TN DZ JO LB IQ",
}
_LANGUAGE_OF = {code: lang for lang, codes in _LANGUAGES.items() for code in codes.split()}

# Made-up organizations; any likeness to a real group is accidental.
ORGANIZATIONS = (
    ("Riverside Water Collective", "GB"), ("Clearbrook Tenants' Water Group", "US"),
    ("Prairie Aquifer Neighbours", "US"), ("Collectif Robinet Commun", "FR"),
    ("Red Vecinal Grifo Abierto", "ES"), ("Asociación Manantial del Barrio", "MX"),
    ("Kisima Community Water Circle", "KE"), ("Lagoon Side Residents' Water Forum", "NG"),
    ("Ubuntu Springs Water Forum", "ZA"), ("Brunnenfreunde Nordviertel", "DE"),
    ("Acqua Comune di Quartiere", "IT"), ("Coletivo Torneira Aberta", "BR"),
    ("Harbourview Clean Tap Alliance", "CA"), ("Pani Sabka Neighbourhood Forum", "IN"),
    ("Bukal Water Circle", "PH"), ("Mata Air Bersama", "ID"), ("Nile Bank Water Friends", "EG"),
    ("Atlas Springs Association", "MA"), ("Oasis Tap Network", "TN"), ("Cedar Valley Water Committee", "LB"),
    ("Valley Households Water Group", "JO"), ("Andes Meltwater Watch", "PE"),
    ("Colectivo Quebrada Limpia", "CO"), ("Pampa Agua Segura", "AR"), ("Mesa de Agua del Valle", "CL"),
    ("Lake Shore Water Stewards", "UG"), ("Kilimo Water Users' Circle", "TZ"),
    ("Volta Basin Neighbours", "GH"), ("Collectif Puits Partagé", "SN"), ("Collectif Fleuve Vivant", "CM"),
    ("Highland Spring Keepers", "ET"), ("Delta Households for Clean Water", "BD"),
    ("Himalayan Tap Watch", "NP"), ("Monsoon Rain Savers", "LK"), ("Mekong Neighbours Water Group", "VN"),
    ("Klong Clean Water Circle", "TH"), ("Tide Pool Water Alliance", "AU"), ("Kauri Stream Friends", "NZ"),
    ("Fjordside Water Commons", "NO"), ("Polder Kraan Collectief", "NL"),
    ("Vistula Riverside Residents' Forum", "PL"), ("Danube Bend Water Friends", "HU"),
    ("Collectif Source Partagée", "BE"), ("Pınar Water Circle", "TR"), ("Sakura Stream Watchers", "JP"),
    ("Han River Tap Friends", "KR"),
)  # fmt: skip

_LOCAL_GROUPS = (
    "Neighbourhood Water Committee", "Residents' Association", "Tenants' Union", "Students for Clean Water",
    "Parents' Water Group", "River Friends",
)  # fmt: skip

# (in a title, as the venue field)
_VENUES = (
    ("the central market", "Central market"), ("the town hall", "Town hall square"),
    ("the main square", "Main square"), ("the riverside park", "Riverside park"),
    ("the bus station", "Bus station forecourt"), ("the public library", "Public library"),
    ("the university gate", "University main gate"), ("the old fountain", "Old fountain"),
    ("the harbour", "Harbour front"), ("the community centre", "Community centre"),
)  # fmt: skip

T = Action.Type
# type: (weight, first and last start hour, shortest and longest duration in minutes)
_TYPES = {
    T.INFO_STAND: (22, (9, 15), (120, 240)), T.DEMONSTRATION: (14, (10, 16), (90, 180)),
    T.RALLY: (12, (11, 18), (60, 120)), T.VIGIL: (10, (17, 19), (45, 90)),
    T.PUBLIC_MEETING: (14, (17, 19), (90, 150)), T.CULTURAL_EVENT: (10, (14, 19), (120, 180)),
    T.ONLINE: (8, (12, 19), (60, 90)), T.OTHER: (10, (8, 14), (120, 240)),
}  # fmt: skip
# type: (titles naming a venue, for exact places only; titles without one)
_TITLES = {
    T.INFO_STAND: (
        ["Water testing info stand at {venue}", "Free tap-water tests at {venue}",
         "Info stand on water prices at {venue}"],
        ["Water testing info stand in {city}", "Info stand: what is in our tap water?",
         "Ask us about your water bill: info stand", "Free tap-water tests for {city} households"],
    ),
    T.DEMONSTRATION: (
        ["March for clean water from {venue} to the town hall",
         "Demonstration for affordable water at {venue}"],
        ["{city} marches for safe, affordable water", "Demonstration: water is a right, not a luxury",
         "March against water cut-offs"],
    ),
    T.RALLY: (
        ["Rally for clean rivers at {venue}", "Rally against water disconnections at {venue}"],
        ["Rally: safe water for every household", "Neighbourhood rally for affordable water",
         "Youth rally for clean water in {city}"],
    ),
    T.VIGIL: (
        ["Candlelight vigil for water justice at {venue}",
         "Evening vigil at {venue} for families without tap water"],
        ["Candlelight vigil for clean water", "Silent vigil for the river",
         "Vigil for families without running water"],
    ),
    T.PUBLIC_MEETING: (
        ["Public meeting at {venue}: who decides the price of our water?",
         "Residents' assembly on water quality at {venue}"],
        ["Public meeting: who runs {city}'s water?", "Town meeting on leaking pipes and lost water",
         "Open forum: this year's water-quality results explained"],
    ),
    T.CULTURAL_EVENT: (
        ["Songs for the river: open-air concert at {venue}", "Water stories: film screening at {venue}"],
        ["Songs for the river: open-air concert", "Water stories: film screening and discussion",
         "Poetry evening: voices for clean water", "Children's drawing workshop: our river"],
    ),
    T.ONLINE: (
        [],
        ["Webinar: testing your tap water at home", "Online assembly of local water committees",
         "Live Q&A: how water tariffs are set", "Online workshop: organizing a water-testing day"],
    ),
    T.OTHER: (
        ["River clean-up starting at {venue}", "Free water-testing kits handed out at {venue}"],
        ["River clean-up in {city}", "Community water-testing day",
         "Bike ride along the river for clean water"],
    ),
}  # fmt: skip
_DESCRIPTIONS = {
    T.INFO_STAND: "Bring a sample of your tap water in a clean bottle: we test it on the spot and explain "
    "the results. Leaflets about the campaign's demands in several languages.",
    T.DEMONSTRATION: "We walk together to show that safe, affordable water matters to this city. Bring "
    "banners, a water bottle and your neighbours. Families welcome.",
    T.RALLY: "Short speeches by residents, a water engineer and a local teacher, then music. Wheelchair "
    "accessible.",
    T.VIGIL: "A quiet gathering with candles and the names of the neighbourhoods that still have no safe "
    "water. Please bring a candle in a jar.",
    T.PUBLIC_MEETING: "An open meeting with residents and invited officials about water quality, prices and "
    "repairs. Everyone may speak; interpretation available.",
    T.CULTURAL_EVENT: "Music, stories and films about water, rivers and the people who look after them. Free "
    "entry.",
    T.ONLINE: "An online session open to everyone; the link opens a few minutes before the start. Questions "
    "are welcome in the chat.",
    T.OTHER: "Gloves and bags provided. We meet at the start point and finish with a short talk about the "
    "campaign.",
}
_PRECISIONS = [Action.Precision.EXACT, Action.Precision.ABOUT_1KM, Action.Precision.CITY]
_PRECISION_WEIGHTS = list(itertools.accumulate([55, 25, 20]))  # cumulative
