"""Request and response bodies of the API (they are also its OpenAPI schemas)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from souk_sdk import CommandInfo

from ..people.phones import PHONE_FORM
from ..people.users import HANDLE_PATTERN, HANDLE_RULE


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


SQLITE_MAX_INT = 2**63 - 1
"""Integers that reach SQLite must fit in 64 bits (a larger one would be a 500, not a 422)."""


def exactly_one_of(*names: str) -> dict[str, Any]:
    """JSON Schema for "exactly one of these fields is given" (a string; the others absent or null)."""
    return {"oneOf": [{"required": [name], "properties": {name: {"type": "string"}}} for name in names]}


def phone_field(**extra: Any) -> Any:
    """A phone number: checked by the server with this pattern, then against the country's plan."""
    return Field(
        max_length=32,
        description="International form, e.g. +5511987654321 (422 invalid_phone otherwise)",
        json_schema_extra={"pattern": PHONE_FORM},
        **extra,
    )


def handle_field() -> Any:
    """A handle, published in its written form; the server also takes (and normalises) its variants."""
    return Field(
        default=None,
        max_length=25,
        description=f"{HANDLE_RULE}; capitals and full-width letters are normalised (NFKC, case-folded)",
        json_schema_extra={"pattern": f"^@?{HANDLE_PATTERN}$"},
    )


class ErrorBody(BaseModel):
    code: str = Field(description="Stable, machine-readable")
    message: str = Field(description="For people")
    details: Any = None
    retry_after: int | None = Field(
        default=None, description="On a 429: seconds to wait before trying again, as in Retry-After"
    )


class Error(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    bus: Literal["in-process", "redis"]
    """Which adapter carries live frames between the workers (docs/scaling.md)."""
    live: bool
    """False while live frames may be missed (Redis unreachable): clients are caught up from the database."""
    bus_outages: int = 0
    """Times this worker lost Redis since it started."""
    worker: int
    """This worker's process id (several workers may answer on one address)."""


class CodeRequest(Strict):
    phone: str = phone_field()


class CodeSent(BaseModel):
    sent: bool
    expires_in: int


class VerifyRequest(Strict):
    phone: str = phone_field()
    code: str = Field(pattern=r"^[0-9]{6}$")
    display_name: str | None = Field(
        default=None,
        max_length=60,
        description='For a new account (absent or empty: "User" and the last 4 digits); spaces only: 422',
    )


class PublicUser(BaseModel):
    id: str
    display_name: str
    handle: str | None = Field(
        description="Null in a chat a mini-app opened between two people it introduced (a match): "
        "neither is shown the other's handle there"
    )
    photo: str | None = Field(
        default=None,
        description="Their profile photo's address in the media store (/api/v1/media/f_..., fetched "
        "signed in), or null",
    )


class Me(PublicUser):
    handle: str  # type: ignore[assignment]  # your own is always shown to you
    phone: str
    country: str
    locale: str
    time_zone: str = Field(description="Your time zone: what today means for you in mini-apps")
    is_operator: bool


class SignedIn(BaseModel):
    token: str
    user: Me
    created: bool


class SessionInfo(BaseModel):
    id: str = Field(description="The session's id (never its token)")
    device: str = Field(description="The device that signed in, as its browser named it: 'Chrome on Android'")
    created_at: str
    last_used_at: str = Field(description="A session used keeps being renewed; one left unused expires")
    expires_at: str
    current: bool = Field(description="The session this request was made with")


class SessionList(BaseModel):
    sessions: list[SessionInfo]


class SessionsEnded(BaseModel):
    ended: int = Field(description="How many sessions were signed out")


class DemoPerson(BaseModel):
    name: str
    handle: str
    phone: str
    country: str
    operator: bool


class DemoInfo(BaseModel):
    demo: bool = Field(description="True only on a server started with --demo")
    code: str | None = Field(description="The development sign-in code, on a demo server")
    people: list[DemoPerson] = Field(description="The demo's people, on a demo server; empty otherwise")


class ProfileChange(Strict):
    display_name: str | None = Field(default=None, max_length=60)
    handle: str | None = handle_field()
    locale: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    time_zone: str | None = Field(
        default=None,
        max_length=64,
        description="An IANA time zone, like Asia/Kolkata (422 invalid_time_zone)",
    )
    photo: str | None = Field(
        default=None,
        max_length=64,
        description="A picture you uploaded with purpose=profile, by id (422 invalid_photo); '' removes it",
    )


class PersonRef(Strict):
    """Exactly one of: a phone number, a handle, a user id."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=exactly_one_of("phone", "handle", "user_id"))

    phone: str | None = phone_field(default=None)
    handle: str | None = handle_field()
    user_id: str | None = Field(
        default=None,
        max_length=64,
        description="A person's id; not one you know only from a mini-app's introduction (a match)",
    )

    @model_validator(mode="after")
    def _one(self) -> PersonRef:
        if sum(v is not None for v in (self.phone, self.handle, self.user_id)) != 1:
            raise ValueError("give exactly one of phone, handle, user_id")
        return self


class NewConversation(Strict):
    kind: Literal["direct", "group"]
    with_: PersonRef | None = Field(default=None, alias="with", description="For a direct chat")
    title: str | None = Field(default=None, max_length=80, description="For a group")
    members: list[PersonRef] = Field(default_factory=list, max_length=256)
    business: str | None = Field(
        default=None,
        max_length=40,
        description=(
            "For a group: a business's handle. Its staff serve the group from their inbox, as they "
            "serve a customer's chat with it (a customer, the business and a courier, say)"
        ),
    )

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class GroupChange(Strict):
    title: str | None = Field(default=None, max_length=80)
    posting: Literal["everyone", "admins"] | None = Field(default=None, description="Who may send messages")


class GroupPhoto(Strict):
    photo: str = Field(
        max_length=44_000,
        description=(
            "data:image/png|jpeg|webp;base64,... of at most 32 KiB (422 invalid_photo); "
            "kept re-encoded as a JPEG, without the file's metadata"
        ),
    )


class RoleChange(Strict):
    role: Literal["admin", "member"]


class NewMembers(Strict):
    members: list[PersonRef] = Field(min_length=1, max_length=256)


class Member(PublicUser):
    role: Literal["owner", "admin", "member"] = Field(description="The owner and admins manage a group")
    joined_seq: int = Field(description="They receive what comes after this seq")


class Sender(BaseModel):
    kind: Literal["user", "app", "system"]
    id: str
    name: str


class Quote(BaseModel):
    """What a reply shows of the message it answers, read from that message as it is now."""

    seq: int = Field(description="The seq of the message answered: a client scrolls to it")
    id: str | None
    sender: Sender | None = Field(description="Who wrote it; null once it was deleted")
    text: str = Field(description="The start of its text (or its screen's title); empty once deleted")
    deleted: bool


class GroupEvent(BaseModel):
    """What a system message of a group says, for a client to tell it its own way."""

    type: Literal["created", "added", "removed", "left", "renamed", "photo", "posting", "role", "ended"]
    by: str = Field(description="Who did it (ended: the mini-app that opened the chat)")
    users: list[str] = Field(default_factory=list, description="Whom it was done to")
    title: str | None = None
    posting: Literal["everyone", "admins"] | None = None
    role: Literal["admin", "member"] | None = None
    new_admin: str | None = Field(default=None, description="Left: the member who became the admin")


class Reaction(BaseModel):
    emoji: str
    count: int
    users: list[str] = Field(description="The ids of those who reacted with it, first one first")


class MediaInfo(BaseModel):
    """A photo or file kept by Souk: what a message carries, and what an upload answers."""

    id: str = Field(description="Random: it cannot be guessed")
    kind: Literal["image", "file"] = Field(
        description="image: shown inline (with a thumbnail); file: a download"
    )
    content_type: str = Field(description="Decided from the bytes, never from the name")
    name: str = Field(description="The file's name, with the extension of what it is")
    size: int = Field(description="Bytes kept (a photo after it was re-encoded without its metadata)")
    width: int | None
    height: int | None
    url: str = Field(description="GET it with your token: members of its conversation only, 404 to others")
    thumbnail_url: str | None = Field(description="A picture's small version (at most 320 pixels a side)")


class MediaUploadQuery(Strict):
    purpose: Literal["message", "profile"] = Field(
        default="message", description="message: to send in conversation_id; profile: a profile photo"
    )
    conversation_id: str | None = Field(
        default=None, max_length=64, description="Where it will be sent (you must be a member)"
    )
    name: str | None = Field(
        default=None, max_length=255, description="The file's name, as the sender had it"
    )

    @model_validator(mode="after")
    def _where(self) -> MediaUploadQuery:
        if (self.purpose == "message") != (self.conversation_id is not None):
            raise ValueError("a message's upload names its conversation_id; a profile photo names none")
        return self


class Message(BaseModel):
    id: str
    conversation_id: str
    seq: int
    sender: Sender
    kind: Literal["text", "screen", "media"]
    text: str
    screen: dict[str, Any] | None
    private: bool
    client_id: str | None
    created_at: str
    revision: int = Field(description="1 as posted; more once its sender replaced it")
    changed_seq: int = Field(description="Sequence number of this version: what resume and history follow")
    updated_at: str | None = Field(description="When it was last replaced")
    reply_to: Quote | None = Field(description="The message this one answers, if it is a reply")
    edited_at: str | None = Field(description="When its sender last edited its text")
    deleted: bool = Field(description='Deleted for everyone: "This message was deleted", no text')
    reactions: list[Reaction] = Field(description="Emoji reactions, each with its count and who")
    event: GroupEvent | None = Field(description="A group's system message, in structured form")
    written_at: str | None = Field(description="When its sender wrote it, if before it was sent (offline)")
    media: MediaInfo | None = Field(
        default=None, description="The photo or file it carries (kind media; its text is the caption)"
    )


Audience = Literal["everyone", "contacts", "nobody"]


class SharingSettings(BaseModel):
    receipts: Audience = Field(description="Who sees when you read their messages (blue ticks)")
    typing: Audience = Field(description="Who sees that you are typing")
    presence: Audience = Field(description="Who sees that you are online, and when you were last seen")
    groups: Audience = Field(description="Who may add you to a group (others get 403 cannot_add)")
    phone: Audience = Field(
        description="Who may find you by your phone number (others are told nobody has it: 404)"
    )


class SharingChange(Strict):
    receipts: Audience | None = None
    typing: Audience | None = None
    presence: Audience | None = None
    groups: Audience | None = None
    phone: Audience | None = None


class PresenceState(BaseModel):
    user_id: str
    online: bool | None = Field(description="null: they do not share it with you (or you hide yours)")
    last_seen: str | None = Field(description="When their last connection closed; null while online")


class ReceiptEntry(BaseModel):
    user: PublicUser
    at: str | None


class MessageReceipts(BaseModel):
    message_id: str
    seq: int
    recipients: int = Field(description="The members it was sent to (everyone but its sender)")
    delivered: list[ReceiptEntry] = Field(description="Whose devices have it, and since when")
    read: list[ReceiptEntry] = Field(description="Who read it, and when (only those who share it)")


class WithBusiness(BaseModel):
    """The business a customer's chat is with: its name and logo, never who works there."""

    id: str = Field(description="The sender id of the business's messages")
    handle: str
    name: str
    logo: str | None
    verified: bool
    blocked: bool = Field(description="Whether you blocked it: it may send you nothing")


class Conversation(BaseModel):
    id: str
    kind: Literal["direct", "group", "app", "business"]
    title: str | None
    business: WithBusiness | None = Field(
        description="For kind business, and a group thread with a business: the business (its name and logo)"
    )
    app: str | None
    last_seq: int
    created_at: str
    members: list[Member] = Field(description="Who is in it now (empty for a former member)")
    member: bool = Field(description="Whether you are in it now (a former member reads what they had)")
    posting: Literal["everyone", "admins", "nobody"] = Field(
        description="Who may send messages to it (nobody: a chat its mini-app ended)"
    )
    photo: str | None = Field(description="A group's photo, as a data URL")


class ConversationSummary(Conversation):
    unread: int
    last_read_seq: int
    last_message: Message | None


class Conversations(BaseModel):
    conversations: list[ConversationSummary]


class NewMessage(Strict):
    """A text, or a photo or file (``media_id``) with its caption; one of the two at least."""

    client_id: str = Field(min_length=1, max_length=64, description="Makes a retried send land once")
    text: str = Field(default="", max_length=4000, description="The message, or a photo's caption")
    media_id: str | None = Field(
        default=None,
        max_length=64,
        description="Your upload for this conversation (POST /api/v1/media) that the message carries",
    )
    reply_to: int | None = Field(
        default=None, ge=1, le=SQLITE_MAX_INT, description="The seq of the message this one answers"
    )
    written_at: str | None = Field(
        default=None,
        max_length=40,
        description="When it was written, if before now (typed offline): ISO 8601 with its offset",
    )

    @model_validator(mode="after")
    def _something(self) -> NewMessage:
        if not self.text and self.media_id is None:
            raise ValueError("a message has a text, or a media_id (a photo or file, its text the caption)")
        return self


class EditMessage(Strict):
    text: str = Field(min_length=1, max_length=4000, description="The new text (within 15 minutes)")


class NewReaction(Strict):
    emoji: str = Field(min_length=1, max_length=16, description="One emoji; it replaces yours, if any")


class Messages(BaseModel):
    messages: list[Message]


class SearchQuery(Strict):
    q: str = Field(
        min_length=1, max_length=200, description="Words to find, in any order; a word's start is enough"
    )
    conversation_id: str | None = Field(default=None, max_length=64, description="Only in this conversation")
    before: int | None = Field(
        default=None,
        ge=1,
        le=SQLITE_MAX_INT,
        description="The cursor of the last result of the previous page",
    )
    limit: int = Field(default=20, ge=1, le=50)


class FoundIn(BaseModel):
    id: str
    kind: Literal["direct", "group", "app"]
    title: str | None


class SearchResult(BaseModel):
    cursor: int = Field(description="Where this result is: give it as 'before' for the next page")
    message: Message
    conversation: FoundIn


class SearchResults(BaseModel):
    results: list[SearchResult] = Field(description="Newest first")


class HistoryQuery(Strict):
    before: int | None = Field(default=None, ge=0, le=SQLITE_MAX_INT)
    after: int | None = Field(default=None, ge=0, le=SQLITE_MAX_INT)
    limit: int = Field(default=50, ge=1, le=200)


class ReadMark(Strict):
    seq: int = Field(ge=0, le=SQLITE_MAX_INT)


class PressRequest(Strict):
    message_id: str = Field(max_length=64)
    component_id: str = Field(max_length=16)
    values: dict[str, Any] = Field(default_factory=dict)


class PressResult(BaseModel):
    status: Literal["ok", "failed", "consent_required"] = Field(
        description="consent_required: a consent screen was shown; the press runs again once allowed"
    )


class Commands(BaseModel):
    commands: list[CommandInfo]


class AppInfo(BaseModel):
    name: str
    title: str
    description: str
    version: str
    scopes: list[str]
    granted: list[str]


class Apps(BaseModel):
    apps: list[AppInfo]


class Consent(BaseModel):
    app: str
    scope: str
    granted_at: str


class ConsentList(BaseModel):
    consents: list[Consent]


class RevokeQuery(Strict):
    scope: str | None = Field(default=None, max_length=20)


class Revoked(BaseModel):
    revoked: int


class Changed(BaseModel):
    changed: bool


# -- privacy: the access log, the archive, erasure ------------------------------------------


class AccessEntry(BaseModel):
    id: int
    app: str = Field(description="The mini-app that was given the field")
    scope: str = Field(description="The consent it was given under")
    field: str = Field(description="What it was given (display_name, locale, phone)")
    purpose: str = Field(description="What asked for it: a command (/pay), a button, an event, a route")
    at: str


class AccessLog(BaseModel):
    entries: list[AccessEntry]


class AccessLogQuery(Strict):
    before: int | None = Field(default=None, ge=1, le=SQLITE_MAX_INT)
    limit: int = Field(default=100, ge=1, le=500)
    app: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{0,39}$", description="One mini-app's")


class AskedScope(BaseModel):
    scope: str
    description: str = Field(description="What it lets the mini-app do, as the permission request says")


class GrantedScope(AskedScope):
    granted_at: str


class AppUsed(BaseModel):
    name: str
    title: str
    description: str
    asks: list[AskedScope] = Field(description="The scopes it may ask for (its manifest)")
    granted: list[GrantedScope] = Field(description="What you granted it, and when")
    accesses: int = Field(description="Entries of yours in the access log for it")
    last_access: str | None = Field(description="When it was last given a field of yours")


class AppsUsed(BaseModel):
    apps: list[AppUsed]


class ErasureRequest(Strict):
    confirm: Literal[True] = Field(
        description="true: erase me, here and in every mini-app; it cannot be undone"
    )


class ErasurePart(BaseModel):
    deleted: dict[str, int] = Field(description="Rows deleted, by table")
    pseudonymised: dict[str, int] = Field(description="Rows kept under an id linked to nobody, by table")
    kept: list[str] = Field(description="What stays, and why")


class ErasureReceipt(BaseModel):
    erased_at: str
    parts: dict[str, ErasurePart] = Field(description="Souk's part and each mini-app's")
