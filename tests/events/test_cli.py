"""`cluster-advisor events …`: the slot plan, the per-event exports and the KPIs per year."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import make_settings, start_services
from tests.events.support import create, event_line, manager, person, press, pressable, tomorrow
from tests.members.support import cli


def test_plan_export_and_kpis_from_the_command_line(tmp_path: Path) -> None:
    services = start_services(make_settings(f"sqlite:///{tmp_path / 'cli.sqlite3'}",
                                            manager_ids="42"))
    try:
        event = create(services, manager(services), event_line(tomorrow()))
        a, b = person(services, 11, offers=["x"]), person(services, 12, offers=["y"])
        for who in (a, b):
            press(services, who, "register", event)
        press(services, a, "ask", event, b.user_id)
        sent = press(services, a, "send", event, b.user_id)
        press(services, b, "accept", int(pressable(sent.extra[0].reply, "accept")[0]
                                          .split(":")[2]))
    finally:
        services.close()
    planned = cli(tmp_path, "events", "plan", str(event))
    assert planned.returncode == 0 and "1 meeting(s) planned, 0 without" in planned.stdout
    schedule = cli(tmp_path, "events", "export", str(event), "--what", "schedule",
                   "--lang", "en")
    assert schedule.returncode == 0
    assert schedule.stdout.splitlines()[1].split(",")[1:] == ["15:00", "", "Person 11 (Org 11)",
                                                             "Person 12 (Org 12)"]
    kpis = cli(tmp_path, "events", "kpis")
    assert kpis.stdout.splitlines()[1].endswith(";1;2;1;1;0;0")
    missing = cli(tmp_path, "events", "plan", "99")
    assert missing.returncode == 1 and "does not exist" in missing.stderr
