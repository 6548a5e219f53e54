"""What a feature declares about itself, in one typed object.

A feature package (core/members/, core/action_plan/ ...) builds one `Feature` and nothing
else needs to know its modules: the kernel collects commands, button actions, dialogs and
hooks from the list of features that the wiring point (`bot/features.py`) hands it. Features
never import each other; what one needs from another is a hook that the registry collects
(the digest's pitfall lines, forget-me reaching every feature, the /start deep link).

Button actions are a table (`Actions`) next to the code that builds the buttons: a readable
action name, a function and typed arguments. The same table makes the button (`button()`)
and reads it back (`parse()`), so no feature takes callback data apart by hand, and forged
or malformed data is refused in one place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from sqlmodel import Session

from core.actor import Actor, Role
from core.delivery import Sender
from core.parsing import is_number
from core.reply import CALLBACK_DATA_LIMIT, Choice, Reply
from storage.accounts.tables import Member

if TYPE_CHECKING:
    from core.dialogs import DialogState
    from core.services import Services

CommandFunction = Callable[["Services", Actor, str], Reply]
DialogFunction = Callable[["Services", Actor, "DialogState", str], Reply]
ActionFunction = Callable[..., Reply]  # (services, actor, *typed arguments) -> Reply
SEPARATOR = ":"


@dataclass(frozen=True)
class Command:
    """A slash command: who may use it and what it runs; its menu text is `cmd_<name>`."""

    name: str
    role: Role
    run: CommandFunction
    private_only: bool = False  # dialogs and personal data: not in group chats
    # without an argument, a reply to someone's message names that person (/promote)
    reply_target: bool = False
    in_menu: bool = True

    @property
    def description_key(self) -> str:
        return f"cmd_{self.name}"


class Argument(Protocol):
    """Reads one typed argument from button data; raises ValueError when it is malformed."""

    def __call__(self, raw: str) -> Any: ...


def integer(raw: str) -> int:
    """A positive id: ASCII digits that fit a database integer (buttons can be forged)."""
    if not is_number(raw):
        raise ValueError(f"not an id: {raw!r}")
    return int(raw)


def text(raw: str) -> str:
    """A short word such as a language code, a date or a filter name."""
    if not raw or len(raw) > 40:
        raise ValueError(f"not a short word: {raw!r}")
    return raw


def one_of(*allowed: str) -> Argument:
    """One word out of a fixed set (a language, a filter, a status)."""

    def read(raw: str) -> str:
        if raw not in allowed:
            raise ValueError(f"{raw!r} is not one of {allowed}")
        return raw

    return read


@dataclass(frozen=True)
class Action:
    """One kind of button: `run(services, actor, *arguments)` for `role` and up."""

    name: str
    run: ActionFunction
    arguments: tuple[Argument, ...] = ()
    role: Role | None = None  # None: the table's role
    optional: int = 0  # how many trailing arguments may be left out


def unbound(services: object, actor: Actor, *arguments: object) -> Reply:
    """The function of a declared action until `Actions.bound` gives it the real one."""
    raise RuntimeError("a button ran through its declaration, not the bound table")


@dataclass(frozen=True)
class Actions:
    """The buttons of one feature: data `prefix:action:arg…`, read back by `parse`."""

    prefix: str
    role: Role
    actions: tuple[Action, ...]
    _by_name: Mapping[str, Action] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {action.name: action for action in self.actions}
        if len(by_name) != len(self.actions):
            raise ValueError(f"two actions of {self.prefix!r} share a name")
        object.__setattr__(self, "_by_name", by_name)

    def data(self, action: str, *arguments: object) -> str:
        """The callback data for pressing `action` with `arguments`."""
        if action not in self._by_name:
            raise KeyError(f"{self.prefix} has no action {action!r}")
        data = SEPARATOR.join([self.prefix, action, *(str(a) for a in arguments)])
        if len(data.encode()) > CALLBACK_DATA_LIMIT:
            raise ValueError(f"callback data {data!r} is longer than 64 bytes")
        return data

    def button(self, label: str, action: str, *arguments: object) -> Choice:
        """A button that runs `action` with `arguments` when pressed."""
        return Choice(label, self.data(action, *arguments))

    def bound(self, runs: Mapping[str, ActionFunction]) -> Actions:
        """This table with each action's function: a feature's buttons module declares the
        table with `unbound`, so that the modules building buttons need not import the
        modules running them; the feature's `__init__` binds it once, and a name declared but
        not bound (or bound but not declared) fails at import."""
        declared = {action.name for action in self.actions}
        if declared != set(runs):
            raise ValueError(f"{self.prefix} buttons without a function or declaration: "
                             f"{sorted(declared ^ set(runs))}")
        return Actions(self.prefix, self.role,
                       tuple(replace(action, run=runs[action.name]) for action in self.actions))

    def parse(self, rest: str) -> tuple[Action, tuple[Any, ...]] | None:
        """The action and its typed arguments for data after `prefix:`; None if malformed."""
        name, *raw = rest.split(SEPARATOR) if rest else [""]
        action = self._by_name.get(name)
        if action is None:
            return None
        wanted = len(action.arguments)
        if not wanted - action.optional <= len(raw) <= wanted:
            return None
        try:
            values = tuple(read(value) for read, value in zip(action.arguments, raw,
                                                             strict=False))
        except ValueError:
            return None
        return action, values


@dataclass(frozen=True)
class Dialog:
    """A guided dialog: free text goes to `run` while it is open; `role` may continue it."""

    name: str
    run: DialogFunction
    role: Role = Role.VISITOR


@dataclass(frozen=True)
class GroupPost:
    """Someone wrote in a group chat (for the members' linked group)."""

    chat_id: int
    user_id: int
    name: str
    username: str | None
    language_code: str | None


@dataclass(frozen=True)
class Job:
    """Work the running bot repeats (e.g. the reminder pass); the database is its truth."""

    name: str
    run: Callable[[Services, Sender], Awaitable[None]]
    interval_seconds: float
    first_after_seconds: float = 1.0
    on_start: Callable[[Services], None] | None = None  # before the first run


@dataclass(frozen=True)
class Privacy:
    """What a feature stores about a person, for /export_my_data and /forget_me.

    Both run inside the one unit of work of the export or the forgetting, so a person is
    forgotten everywhere or nowhere. `forget` hands what belongs to the cluster (action items
    someone owns) to `successor_id`, a manager, when there is one.
    """

    export: Callable[[Session, int], Any]
    forget: Callable[[Session, int, int | None], None]


StartArgument = Callable[["Services", Actor, str], Reply | None]
DigestLines = Callable[["Services", str, Any], list[str]]  # (services, lang, at) -> lines
FreeText = Callable[["Services", Actor, str], Reply]
Demo = Callable[["Services"], list[str]]
# a group post seen: a Reply whose `extra` messages go out and whose `menus` are refreshed
# (its text is never posted in the group), or None when nothing follows from it
GroupWatcher = Callable[["Services", GroupPost], Reply | None]
# someone wrote to the bot: link what waited for their @username (imported profiles, plan
# items naming them); runs in the unit of work that records the contact
Identified = Callable[[Session, Member], None]


@dataclass(frozen=True)
class Feature:
    """Everything a feature offers the rest of the bot; `name` keys its texts and data."""

    name: str
    commands: tuple[Command, ...] = ()
    actions: tuple[Actions, ...] = ()  # one table per button prefix
    dialogs: tuple[Dialog, ...] = ()
    start_argument: StartArgument | None = None  # /start <argument> (deep links)
    free_text: FreeText | None = None  # text outside any dialog (the questions feature)
    digest_lines: DigestLines | None = None  # lines for the managers' weekly digest
    privacy: Privacy | None = None
    demo: Demo | None = None  # `cluster-advisor demo`
    on_start: Callable[[Services], None] | None = None  # warm caches in the running bot
    group_watcher: GroupWatcher | None = None
    identified: Identified | None = None
    jobs: tuple[Job, ...] = ()
