"""The talk's two example actions, for `cluster-advisor demo` on an empty plan."""

from __future__ import annotations

from core.action_plan.dates import add_period
from core.action_plan.fields import parse_participants
from core.i18n import t
from core.locale import format_date
from core.services import Services
from storage.action_plan.items import add_item, count_items
from storage.action_plan.tables import PlanItem
from storage.clock import utcnow
from storage.engine import session_scope

HORIZON_MONTHS = 36  # "36 Monate" in both examples

EXAMPLES = {
    "de": [
        ("Implementierung kostengünstiger kundenzentrierter Elektromobilitätslösungen",
         "Test von nahtlosen, interoperablen E-Lade- und Abrechnungssystemen", "CARS",
         "Forschung, Unternehmen, Politik, öffentliche Hand, Andere"),
        ("Förderung einer offenen Innovationskultur in und zwischen Unternehmen, Forschung "
         "und Gesellschaft",
         "Branchenübergreifende Innovationszirkel für kleine und mittlere Unternehmen", "AUTO",
         "Cluster, Forschung, Unternehmen"),
    ],
    "en": [
        ("Implement cost-effective, customer-centred e-mobility solutions",
         "Test seamless, interoperable e-charging and billing systems", "CARS",
         "research, companies, politics, public sector, others"),
        ("Promote an open innovation culture in and between companies, research and society",
         "Cross-industry innovation circles for small and medium-sized enterprises", "AUTO",
         "cluster, research, companies"),
    ],
}


def seed_demo(services: Services) -> list[str]:
    """Add the talk's two example actions when the plan is empty; say what was added."""
    lang = services.settings.default_language
    now = utcnow()
    deadline = add_period(now.astimezone(services.settings.tz).date(), "months", HORIZON_MONTHS)
    with session_scope(services.engine) as session:
        if count_items(session=session):
            return []
        for topic, action, responsible, participants in EXAMPLES[lang]:
            groups, free = parse_participants(participants)
            item = PlanItem(topic=topic, action=action, deadline=deadline,
                            responsible_name=responsible, participants=free,
                            participant_groups=groups, created_at=now, updated_at=now,
                            planned_from=now)
            add_item(session=session, item=item, by_name="demo")
    return [t(lang, "plan_demo_added", count=len(EXAMPLES[lang]),
              deadline=format_date(deadline, lang))]
