"""Members: joining, roles, profiles, matchmaking, introductions, privacy (issue #4).

Modules: invites (invite links, /start <token>), joining (/join, the linked group, imported
profiles claimed by their @username), decisions (accept/decline, shared by /join and
introductions), roles (/promote, /demote, /members), profile (the /profile dialog), matching
and index (/match), contact (introductions with consent, with an optional personal
message), stats (/stats), privacy (/privacy, /export_my_data, /forget_me), csv_io and
csv_export (CLI import/export) and demo (the talk's partners).
"""

from __future__ import annotations

from core.actor import Role
from core.feature import Command, Feature
from core.members import contact, invites, joining, matching, privacy, profile, roles, stats
from core.members.common import warm_index
from core.members.demo import seed_demo

FEATURE = Feature(
    name="members",
    commands=(
        Command("join", Role.VISITOR, joining.join_command, private_only=True),
        Command("privacy", Role.VISITOR, privacy.privacy_command),
        Command("export_my_data", Role.VISITOR, privacy.export_command, private_only=True),
        Command("forget_me", Role.VISITOR, privacy.forget_command, private_only=True),
        Command("profile", Role.MEMBER, profile.profile_command, private_only=True),
        Command("match", Role.MEMBER, matching.match_command, private_only=True),
        Command("invite", Role.MANAGER, invites.invite_command, private_only=True),
        Command("members", Role.MANAGER, roles.members_command, private_only=True),
        Command("promote", Role.MANAGER, roles.promote, reply_target=True),
        Command("demote", Role.MANAGER, roles.demote, reply_target=True),
        Command("link_group", Role.MANAGER, joining.link_group_command),
        Command("unlink_group", Role.MANAGER, joining.unlink_group_command),
        Command("stats", Role.MANAGER, stats.stats_command),
    ),
    actions=(profile.ACTIONS, matching.ACTIONS, contact.ACTIONS, joining.ACTIONS,
             invites.ACTIONS, privacy.ACTIONS),
    dialogs=(profile.DIALOG, contact.DIALOG),
    start_argument=invites.start_with_token,
    privacy=privacy.PRIVACY,
    demo=seed_demo,
    on_start=warm_index,
    group_watcher=joining.watch_group,
    identified=joining.claim_profile,
)
