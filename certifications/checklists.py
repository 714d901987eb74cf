"""Version 1 of each standard's inspection checklist, and how answers are read back.

The checklists are data (models.ChecklistTemplate, ChecklistQuestion): migration 0006 loaded
these lists as version 1 of each standard's template, and a change makes a new version in the
admin. The lists stay here because their texts are the gettext message ids the pages translate
version 1 by. An inspection stores its answers in Inspection.checklist keyed by the question's
`key`. The questions follow what the control bodies check on a smallholder's farm under each
standard (DOMAIN.md, ICS).
"""

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

YES_NO = "yes_no"
NUMBER = "number"
TEXT = "text"
PHOTO = "photo"


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    kind: str = YES_NO


OBSERVATIONS = Question("observations", _("Other observations of the inspector."), TEXT)

# Reg. (EU) 2018/848: the same farm-level questions serve the USDA NOP internal inspection.
ORGANIC = [
    Question(
        "no_prohibited_inputs",
        _("No synthetic fertiliser, herbicide or pesticide is used or stored on the farm."),
    ),
    Question("inputs_recorded", _("The family records the inputs it applies (compost, biol, other preparations).")),
    Question("buffer_zone", _("Plots next to conventional farms have a buffer zone or a living barrier.")),
    Question("buffer_width_m", _("Width of the narrowest buffer zone (metres)."), NUMBER),
    Question("no_parallel_production", _("The family grows no conventional cocoa beside the organic one.")),
    Question("plots_match_register", _("The plots visited match the register (area, boundaries, map).")),
    Question("unregistered_plots", _("Number of plots found that are not in the register."), NUMBER),
    Question("harvest_estimate_kg", _("Estimated harvest of the season (kg of dry cocoa)."), NUMBER),
    Question("sold_to_cooperative", _("All the certified cocoa is sold to the cooperative, none to middlemen.")),
    Question("clean_post_harvest", _("Fermentation and drying use clean equipment, away from any contamination.")),
    Question("soil_conservation", _("Soil fertility is kept up (cover crops, mulch, compost, pruning residues).")),
    OBSERVATIONS,
]

FAIRTRADE = [
    Question(
        "no_child_labour",
        _("No child under 15 works on the farm; children who help do light work outside school hours."),
    ),
    Question("no_forced_labour", _("No one works on the farm against their will or to pay off a debt.")),
    Question("hired_workers", _("Number of workers hired in the last season."), NUMBER),
    Question("minimum_wage", _("Hired workers are paid at least the legal minimum wage.")),
    Question("no_hazardous_materials", _("No substance on Fairtrade's Hazardous Materials List (red list) is used.")),
    Question("protective_equipment", _("Whoever applies an agrochemical wears protective equipment.")),
    Question(
        "safe_storage", _("Agrochemicals and empty containers are stored locked, away from children, food and water.")
    ),
    Question("waste_managed", _("Waste is managed: no burning of plastics, nothing dumped in streams.")),
    Question("water_protected", _("Springs and streams are protected: no equipment is washed in them.")),
    Question(
        "premium_informed", _("The family knows how the General Assembly decides on the Fairtrade premium and its use.")
    ),
    OBSERVATIONS,
]

RAINFOREST_ALLIANCE = [
    Question("no_deforestation", _("No forest or other natural ecosystem was cleared after 1 January 2014.")),
    Question("no_burning", _("No fire is used to clear land or burn residues.")),
    Question("shade_tree_species", _("Number of shade tree species on the main plot."), NUMBER),
    Question("riparian_buffers", _("Strips of natural vegetation are kept along streams and springs.")),
    Question("no_hunting", _("No wild animals are hunted, captured or traded on the farm.")),
    Question("no_child_labour", _("No child under 15 works on the farm; no minor does hazardous work.")),
    Question("no_forced_labour", _("No one works on the farm against their will or to pay off a debt.")),
    Question(
        "integrated_pest_management",
        _("Pests and diseases are first managed by cultural practices (pruning, removing diseased pods)."),
    ),
    Question("protective_equipment", _("Whoever applies an agrochemical wears protective equipment.")),
    Question("training_attended", _("A member of the family attended the cooperative's training this year.")),
    OBSERVATIONS,
]

CHECKLISTS = {
    "eu-organic": ORGANIC,
    "usda-nop": ORGANIC,
    "fairtrade": FAIRTRADE,
    "rainforest-alliance": RAINFOREST_ALLIANCE,
}


def question_text(text):
    """A stored question as the reader's language has it: version 1's English texts are message ids."""
    return gettext(text) if text else text


def answered(template, answers):
    """(question text, kind, answer, key) for each stored answer, in the order of the template's questions.

    An answer under a key the template does not know (recorded through the API, or under a
    question since retired) is shown with its key, after the others.
    """
    answers = answers or {}
    known = list(template.questions.all()) if template is not None else []
    rows = [
        (question_text(question.text), question.kind, answers[question.key], question.key)
        for question in known
        if question.key in answers
    ]
    keys = {question.key for question in known}
    rows += [(key, None, value, key) for key, value in answers.items() if key not in keys]
    return rows
