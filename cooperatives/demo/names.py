"""Words the demo draws from: names, places and phrases of the Chazuta valley.

Surnames are common ones of the valley (Kichwa and Spanish); they name no one.
"""

from certifications.models import SanctionKind

KICHWA_SURNAMES = [
    "Sangama",
    "Tapullima",
    "Amasifuen",
    "Tuanama",
    "Salas",
    "Cachique",
    "Pashanasi",
    "Shupingahua",
    "Isuiza",
    "Sinarahua",
    "Guerra",
    "Tananta",
]
SPANISH_SURNAMES = [
    "García",
    "Ríos",
    "Vásquez",
    "Ruiz",
    "Panduro",
    "Del Águila",
    "Torres",
    "Pinedo",
    "Flores",
    "Ramírez",
    "Chávez",
    "Pérez",
    "Reátegui",
    "López",
    "Arévalo",
    "Saavedra",
    "Hidalgo",
    "Rengifo",
]
WOMEN = [
    "María",
    "Rosa",
    "Juana",
    "Elvira",
    "Luz",
    "Carmen",
    "Gladys",
    "Nélida",
    "Marleni",
    "Edith",
    "Yolanda",
    "Teresa",
    "Delia",
    "Flor",
    "Sonia",
    "Milagros",
    "Rosario",
    "Isabel",
]
MEN = [
    "José",
    "Juan",
    "Luis",
    "Segundo",
    "Wilder",
    "Elías",
    "Manuel",
    "Jorge",
    "Pedro",
    "Julio",
    "Róger",
    "Teófilo",
    "Abel",
    "Héctor",
    "Lizardo",
    "Nilo",
    "Walter",
    "Edwin",
    "Marcos",
    "Alfredo",
]

# Caseríos and sectors of Chazuta district, and where each sells its cocoa.
COMMUNITIES = {
    "Chazuta": "Chazuta",
    "Aguas Verdes": "Chazuta",
    "Curiyacu": "Chazuta",
    "Pucallpillo": "Chazuta",
    "Ricardo Palma": "Chazuta",
    "Llucanayacu": "Achinamiza",
    "Chipaota": "Achinamiza",
    "Santa Rosa de Chipaota": "Achinamiza",
    "Achinamiza": "Achinamiza",
    "Callanayacu": "Tununtunumba",
    "Tununtunumba": "Tununtunumba",
}
# Collection centres: name, receipt prefix, wet (baba) kg per dry kg.
CENTRES = [
    ("Chazuta", "CHZ", "2.70"),
    ("Achinamiza", "ACH", "2.85"),
    ("Tununtunumba", "TUN", "2.60"),
]

PLOT_NAMES = [
    "La Loma",
    "El Bajo",
    "Quebrada Yanayacu",
    "Pampa Hermosa",
    "El Mirador",
    "Las Palmeras",
    "San Juan",
    "El Naranjal",
    "Los Cedros",
    "La Cocha",
    "Shapaja",
    "Alto Verde",
    "El Huito",
    "Bellavista",
]

# Variety, share of plots, estimated yield range (kg/ha/year), planting years.
VARIETIES = [
    ("CCN-51", 55, (800, 900), (2004, 2021)),
    ("native fine aroma", 20, (520, 700), (1988, 2012)),
    ("ICS-95", 12.5, (700, 880), (2000, 2020)),
    ("TSH-565", 12.5, (700, 880), (2000, 2020)),
]

ASSESSMENT_METHOD = "JRC Global Forest Cover 2020 and Global Forest Watch tree cover loss, checked on a field visit"
INCONCLUSIVE_METHOD = "JRC Global Forest Cover 2020 overlay; satellite images clouded, field visit pending"

# Question of the EU organic checklist (version 1, certifications/checklists.py) that failed →
# (non-conformity, corrective action, evidence of closing).
NON_CONFORMITIES = {
    "buffer_zone": (
        "No living barrier against the conventional neighbour's pasture on the east side.",
        "Plant a living barrier of guaba and pijuayo, 8 m wide.",
        "Photographs of the planted barrier, checked on a follow-up visit.",
    ),
    "inputs_recorded": (
        "The field notebook has no entries since the last harvest.",
        "Bring the field notebook up to date with the field officer.",
        "Notebook reviewed and signed by the field officer.",
    ),
    "clean_post_harvest": (
        "Plastic sacks and bottles left in the fermentation area.",
        "Clear the waste and take it to the collection point in Chazuta.",
        "Area visited and found clean.",
    ),
    "no_prohibited_inputs": (
        "An empty herbicide container found near the plot's boundary.",
        "Explain the origin of the container and sign a commitment; re-inspection before the next harvest.",
        "",
    ),
}

# The cooperative's catalogue of sanctions (its internal rules): name, kind, what it answers.
CATALOGUE = [
    (
        "Amonestación escrita",
        SanctionKind.WARNING,
        "Falta leve o primera falta: se anota y se verifica en la próxima visita.",
    ),
    (
        "Exclusión de la parcela",
        SanctionKind.PLOT_EXCLUSION,
        "Uso de insumos prohibidos en una parcela: sale del alcance del certificado.",
    ),
    (
        "Suspensión temporal",
        SanctionKind.SUSPENSION,
        "Venta de cacao de terceros como propio o falta grave repetida: sus entregas no se certifican.",
    ),
    ("Retiro de la certificación", SanctionKind.WITHDRAWAL, "Fraude comprobado o reincidencia tras la suspensión."),
]
