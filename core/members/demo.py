"""Demo members: the cross-regional matchmaking partners of the talk (Tampere, Bern, Ankara,
Paderborn, Ostrava), so a new cluster sees /match working before anyone has joined."""

from __future__ import annotations

from core.members.common import reindex
from core.services import Services
from storage.engine import session_scope
from storage.members.profiles import add_demo_profile, count_profiles

# name, organisation, type, city, offers, needs, description
DEMO_PROFILES: tuple[tuple[str, str, str, str, tuple[str, ...], tuple[str, ...], str], ...] = (
    ("Mobile Services Lab", "NOKIA Research Center", "research", "Tampere",
     ("mobile Lösungen", "mobile solutions", "Usability"),
     ("Geschäftsmodelle", "Pilotanwender"),
     "Research lab for mobile services; looking for partners to test new business models."),
    ("RFID Solutions Team", "IBM Zurich Research Lab", "research", "Bern",
     ("RFID", "Internet der Dinge", "Logistik"),
     ("Pilotkunden", "CRM"),
     "RFID and sensor networks for logistics; pilots with retailers and carriers."),
    ("Technology Transfer Office", "METU Technology Park", "cluster", "Ankara",
     ("Technologietransfer", "Matchmaking", "Open Innovation"),
     ("Internationalisierung", "Forschungspartner"),
     "Science park of the Middle East Technical University; brings start-ups and research "
     "together."),
    ("Public Sector Systems", "MILSOFT", "company", "Ankara",
     ("E-Government", "Softwareentwicklung", "Katastrophenmanagement"),
     ("Geoinformationssysteme", "mobile Lösungen"),
     "Software house for command-and-control and e-government systems."),
    ("Digital Learning", "SEBIT", "company", "Ankara",
     ("E-Learning", "mobile Lösungen"),
     ("Open Innovation", "Vertriebspartner"),
     "Educational technology: digital learning content and platforms."),
    ("Electronics and RFID", "ETA", "company", "Ankara",
     ("RFID", "Sensorik", "Elektronikfertigung"),
     ("Logistik", "Geschäftsmodelle"),
     "Electronics design and manufacturing; RFID readers and tags."),
    ("Crisis Management Centre", "Technology Park Ostrava", "cluster", "Ostrava",
     ("Katastrophenmanagement", "Geoinformationssysteme", "Logistik"),
     ("mobile Lösungen", "E-Government"),
     "Disaster management exercises and GIS for the Moravian-Silesian region."),
    ("Business Model Lab", "Universität Paderborn", "research", "Paderborn",
     ("Geschäftsmodelle", "Open Innovation", "CRM"),
     ("Pilotunternehmen", "mobile Lösungen"),
     "Business models and customer relationship management for SMEs."),
)


def seed_demo(services: Services) -> list[str]:
    """Add the talk's matchmaking partners as demo members, only if there are no profiles."""
    added: list[str] = []
    ids: list[int] = []
    with session_scope(services.engine) as session:
        if count_profiles(session=session) > 0:
            return []
        for name, organization, kind, city, offers, needs, description in DEMO_PROFILES:
            profile = add_demo_profile(session=session, name=name, organization=organization,
                                       kind=kind, city=city, offers=offers, needs=needs,
                                       description=description)
            assert profile.id is not None
            ids.append(profile.id)
            added.append(f"Demo member: {name}, {organization} ({city}) – offers "
                         f"{', '.join(offers)}")
    reindex(services, ids)
    return added
