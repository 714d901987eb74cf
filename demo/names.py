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
    ("nativo fino de aroma", 20, (520, 700), (1988, 2012)),
    ("ICS-95", 12.5, (700, 880), (2000, 2020)),
    ("TSH-565", 12.5, (700, 880), (2000, 2020)),
]

ASSESSMENT_METHOD = (
    "Cruce con el mapa de cobertura forestal 2020 del JRC y la pérdida de cobertura arbórea de Global Forest Watch, "
    "verificado en visita de campo"
)
INCONCLUSIVE_METHOD = (
    "Cruce con el mapa de cobertura forestal 2020 del JRC; imágenes satelitales con nubes, visita de campo pendiente"
)

# Question of the EU organic checklist (version 1, certifications/checklists.py) that failed →
# (non-conformity, corrective action, evidence of closing).
NON_CONFORMITIES = {
    "buffer_zone": (
        "Sin barrera viva frente al pastizal convencional del vecino, por el lado este.",
        "Sembrar una barrera viva de guaba y pijuayo de 8 m de ancho.",
        "Fotos de la barrera sembrada, verificadas en la visita de seguimiento.",
    ),
    "inputs_recorded": (
        "El cuaderno de campo no tiene anotaciones desde la última cosecha.",
        "Poner al día el cuaderno de campo con el técnico de campo.",
        "Cuaderno revisado y firmado por el técnico de campo.",
    ),
    "clean_post_harvest": (
        "Sacos y botellas de plástico abandonados en la zona de fermentación.",
        "Recoger los residuos y llevarlos al punto de acopio de Chazuta.",
        "Zona visitada y encontrada limpia.",
    ),
    "no_prohibited_inputs": (
        "Se encontró un envase vacío de herbicida cerca del lindero de la parcela.",
        "Explicar el origen del envase y firmar un acta de compromiso; nueva inspección antes de la próxima cosecha.",
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
