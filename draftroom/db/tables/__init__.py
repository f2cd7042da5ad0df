"""Every Piccolo table of draftroom, one module per area."""

from draftroom.db.tables.accounts import Account
from draftroom.db.tables.chat import ChatMessage
from draftroom.db.tables.drafts import Captain, Draft, DraftEvent, DraftTeam, Pick
from draftroom.db.tables.leagues import League, Team
from draftroom.db.tables.mail import OutboxMail, PasswordReset
from draftroom.db.tables.mock_drafts import MockDraft
from draftroom.db.tables.notifications import Notification
from draftroom.db.tables.reference import (
    Constructor,
    Driver,
    DriverEntry,
    Race,
    RaceEntryChange,
    Season,
)
from draftroom.db.tables.results import DriverScore, RaceCheck, ResultRevision, TeamRaceScore
from draftroom.db.tables.sessions import (
    LoginLock,
    RefreshFamily,
    RefreshToken,
    RevokedToken,
    UserRevocation,
)

ALL_TABLES = [
    Account,
    Season,
    Constructor,
    Driver,
    DriverEntry,
    Race,
    RaceEntryChange,
    League,
    Team,
    Draft,
    DraftTeam,
    Pick,
    DraftEvent,
    Captain,
    ResultRevision,
    DriverScore,
    TeamRaceScore,
    RaceCheck,
    Notification,
    RevokedToken,
    UserRevocation,
    RefreshFamily,
    RefreshToken,
    LoginLock,
    PasswordReset,
    OutboxMail,
    ChatMessage,
    MockDraft,
]

__all__ = [t.__name__ for t in ALL_TABLES] + ["ALL_TABLES"]
