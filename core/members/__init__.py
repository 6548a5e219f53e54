"""Members: joining, roles, profiles, matchmaking, introductions, privacy (issue #4).

Modules: joining (invites, /join, linked group), roles (/promote, /demote, /members),
profile (the /profile dialog), matching and index (/match), contact (introductions with
consent), stats (/stats), privacy (/privacy, /export_my_data, /forget_me), csv_io (CLI
import/export) and demo (the talk's partners).
"""

from __future__ import annotations

from core.actor import Actor, Role
from core.members import contact, joining, matching, privacy, profile, roles, stats
from core.members.demo import seed_demo
from core.registry import Button, Command, DialogFunction
from core.reply import Reply
from core.services import Services

__all__ = ["BUTTONS", "COMMANDS", "DIALOGS", "seed_demo", "start_argument"]


def _d(de: str, en: str) -> dict[str, str]:
    return {"de": de, "en": en}


COMMANDS: tuple[Command, ...] = (
    Command("join", Role.VISITOR, _d("Mitglied werden (Anfrage)", "Ask to become a member"),
            joining.join_command, private_only=True),
    Command("privacy", Role.VISITOR, _d("Datenschutz: was gespeichert wird",
                                        "Privacy: what is stored"), privacy.privacy_command),
    Command("export_my_data", Role.VISITOR, _d("Meine Daten als Datei", "My data as a file"),
            privacy.export_command, private_only=True),
    Command("forget_me", Role.VISITOR, _d("Meine Daten löschen", "Delete my data"),
            privacy.forget_command, private_only=True),
    Command("profile", Role.MEMBER, _d("Mein Profil anlegen/ändern",
                                       "Create/edit my profile"),
            profile.profile_command, private_only=True),
    Command("match", Role.MEMBER, _d("Passende Mitglieder finden", "Find matching members"),
            matching.match_command, private_only=True),
    Command("invite", Role.MANAGER, _d("Einladungslink (list, revoke N)",
                                       "Invite link (list, revoke N)"),
            joining.invite_command, private_only=True),
    Command("members", Role.MANAGER, _d("Mitglieder und Rollen", "Members and roles"),
            roles.members_command, private_only=True),
    Command("promote", Role.MANAGER, _d("Rolle erhöhen (@name oder ID)",
                                        "Raise a role (@name or id)"), roles.promote),
    Command("demote", Role.MANAGER, _d("Rolle senken (@name oder ID)",
                                       "Lower a role (@name or id)"), roles.demote),
    Command("link_group", Role.MANAGER, _d("Diese Gruppe verknüpfen", "Link this group"),
            joining.link_group_command),
    Command("unlink_group", Role.MANAGER, _d("Gruppe lösen", "Unlink this group"),
            joining.unlink_group_command),
    Command("stats", Role.MANAGER, _d("Kennzahlen (stats add …)", "Figures (stats add …)"),
            stats.stats_command),
)

BUTTONS: dict[str, Button] = {
    "profile": Button(Role.MEMBER, profile.press),
    "match": Button(Role.MEMBER, matching.press),
    "contact": Button(Role.MEMBER, contact.press),
    "join": Button(Role.MANAGER, joining.join_press),
    "invite": Button(Role.MANAGER, joining.invite_press),
    "forget": Button(Role.VISITOR, privacy.press),
}

DIALOGS: dict[str, DialogFunction] = {profile.FEATURE: profile.profile_dialog}


def start_argument(services: Services, actor: Actor, argument: str) -> Reply | None:
    """/start with a deep-link argument: an invite token; None when it means nothing here."""
    return joining.start_with_token(services, actor, argument.strip())
