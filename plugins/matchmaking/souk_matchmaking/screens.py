"""What members see: the profile form, a candidate's card, their profile, their matches.

A card shows a first name, an age, a distance band, the interests in common
and the bio: never a phone number, handle, birth date or place.  Its buttons
carry the card's random id, never the member's id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from souk_sdk import ui

from . import ages, places, profiles
from .discovery import Candidate
from .photos import MAX_PHOTOS
from .safety import REASONS

TITLE = "Matchmaking"
SEEKING = {"women": ["woman"], "men": ["man"], "everyone": ["woman", "man", "nonbinary"]}


def seeking_choice(seeks: str) -> str:
    return next((k for k, v in SEEKING.items() if ",".join(sorted(v)) == seeks), "everyone")


def _select(name: str, label: str, options: dict[str, str], value: str | None) -> ui.SelectField:
    return ui.SelectField(
        name=name,
        label=label,
        options=[ui.Option(value=v, label=text) for v, text in options.items()],
        value=value,
    )


def profile_form(country: str, existing: dict[str, Any] | None, name: str | None) -> ui.Form:
    """The form that makes or edits a profile; the birth date is asked only once."""
    fields: list[Any] = [
        ui.TextField(
            name="name",
            label="Name shown (your first name is used)",
            max_length=40,
            value=existing["name"] if existing else name,
        )
    ]
    if existing is None:
        fields.append(
            ui.DateField(
                name="birth_date",
                label="Date of birth",
                max="today",
                help="Adults only. It cannot be changed later, and only your age is shown.",
            )
        )
    fields += [
        _select("gender", "I am", profiles.GENDERS, existing["gender"] if existing else None),
        _select(
            "seeking",
            "I want to meet",
            {"women": "Women", "men": "Men", "everyone": "Everyone"},
            seeking_choice(existing["seeks"]) if existing else None,
        ),
        ui.NumberField(
            name="age_min",
            label="Aged from",
            integer=True,
            min=18,
            max=99,
            value=str(existing["age_min"] if existing else 18),
        ),
        ui.NumberField(
            name="age_max",
            label="to",
            integer=True,
            min=18,
            max=99,
            value=str(existing["age_max"] if existing else 99),
        ),
    ]
    cities = places.cities_of(country)
    if cities:
        current = existing["city"] if existing else None
        fields.append(
            ui.SelectField(
                name="city",
                label="City",
                required=existing is None or current is not None,
                options=[ui.Option(value=c.name, label=c.name) for c in cities],
                value=current,
                help="Others see only a distance band, never your city or position.",
            )
        )
    fields += [
        ui.TextField(
            name="interests",
            label="Interests, separated by commas",
            required=False,
            max_length=260,
            value=", ".join(existing["interests"]) if existing else None,
        ),
        ui.TextField(
            name="bio",
            label="About you",
            required=False,
            multiline=True,
            max_length=profiles.MAX_BIO,
            value=existing["bio"] if existing else None,
        ),
    ]
    return ui.Form(
        action="save_profile", fields=fields, submit_label="Save profile" if existing else "Create profile"
    )


def welcome(country: str, name: str | None) -> ui.Screen:
    return ui.Screen(
        title=TITLE,
        body=[
            ui.Text(text="Meet people with a similar purpose. Adults only.", style="heading"),
            ui.Text(
                text="Others see your first name, your age, a distance band, your interests and what you "
                "write about yourself. Never your number, your handle, your birth date or where you are.",
                style="muted",
            ),
            profile_form(country, None, name),
        ],
    )


def card(candidate: Candidate) -> ui.Card:
    lines = []
    if candidate.shared:
        lines.append("In common: " + ", ".join(candidate.shared))
    if candidate.profile["bio"]:
        lines.append(candidate.profile["bio"])
    payload = {"card": candidate.card}
    return ui.Card(
        title=f"{candidate.first_name}, {candidate.age}",
        subtitle=candidate.band,
        image_url=candidate.photos[0] if candidate.photos else None,
        body="\n".join(lines) or None,
        buttons=[
            ui.Button(label="Like", action="like", payload=payload, style="primary"),
            ui.Button(label="Pass", action="pass", payload=payload),
            ui.Button(label="Report", action="report_form", payload=payload),
            ui.Button(label="Block", action="block", payload=payload, style="danger"),
        ],
    )


def next_card(found: list[Candidate], note: str | None = None) -> ui.Screen:
    body: list[Any] = [ui.Text(text=note, style="heading")] if note else []
    if found:
        body.append(card(found[0]))
        name = found[0].first_name
        body += [ui.Image(url=url, alt=f"A photo of {name}") for url in found[0].photos[1:]]
    else:
        body.append(ui.Text(text="No one new right now. Come back later: new people join every day."))
        body.append(ui.Button(label="My matches", action="show_matches"))
    return ui.Screen(title=TITLE, body=body)


def paused(note: str | None = None) -> ui.Screen:
    body: list[Any] = [ui.Text(text=note, style="heading")] if note else []
    body += [
        ui.Text(text="Your profile is paused: nobody sees it, and you see no one."),
        ui.Button(label="Resume", action="resume", style="primary"),
    ]
    return ui.Screen(title=TITLE, body=body)


def my_profile(profile: dict[str, Any], today: dt.date, note: str | None = None) -> ui.Screen:
    born = dt.date.fromisoformat(profile["birth_date"])
    where = profile["city"] or "the area of the position you shared"
    interests = ", ".join(profile["interests"]) or "none yet"
    body: list[Any] = [ui.Text(text=note, style="heading")] if note else []
    body += [
        ui.Card(
            title=f"{profiles.first_name(profile['name'])}, {ages.age_on(born, today)}",
            subtitle=f"{profiles.GENDERS[profile['gender']]} · near {where}",
            body=f"Interests: {interests}\n{profile['bio']}".strip(),
            buttons=[
                ui.Button(
                    label="Resume" if profile["paused"] else "Pause",
                    action="resume" if profile["paused"] else "pause",
                ),
                ui.Button(label="Delete profile", action="delete_ask", style="danger"),
            ],
        ),
        *(
            ui.Card(
                title=f"Photo {n}",
                image_url=url,
                buttons=[ui.Button(label="Remove", action="remove_photo", payload={"number": n})],
            )
            for n, url in enumerate(profile["photos"], 1)
        ),
        *([photo_form()] if len(profile["photos"]) < MAX_PHOTOS else []),
        ui.Text(text="Your date of birth is fixed; others see only your age.", style="muted"),
        profile_form(profile["country"], profile, None),
    ]
    return ui.Screen(title="Your profile", body=body)


def photo_form() -> ui.Form:
    return ui.Form(
        action="add_photo",
        submit_label="Add photo",
        fields=[
            ui.FileField(
                name="photo",
                label=f"A photo (up to {MAX_PHOTOS})",
                accept=[".jpg", ".jpeg", ".png", ".webp", ".gif"],
                max_bytes=ui.MAX_FILE_BYTES,
                help="Kept by Souk without its hidden data, such as where it was taken.",
            )
        ],
    )


def delete_ask() -> ui.Screen:
    return ui.Screen(
        title="Delete your profile?",
        body=[
            ui.Text(
                text="It goes from everyone's candidates at once, with your likes; your matches see "
                '"Deleted profile". Your date of birth stays fixed if you come back.'
            ),
            ui.Button(label="Delete for good", action="delete", style="danger"),
            ui.Button(label="Keep it", action="show_profile"),
        ],
    )


def report_form(card_id: str, name: str) -> ui.Screen:
    return ui.Screen(
        title=f"Report {name}",
        body=[
            ui.Text(text="Operators read every report. You will not see each other again."),
            ui.Form(
                action="report",
                payload={"card": card_id},
                submit_label="Report and block",
                fields=[
                    _select("reason", "What is wrong?", REASONS, None),
                    ui.TextField(
                        name="note",
                        label="Anything operators should know",
                        required=False,
                        multiline=True,
                        max_length=500,
                    ),
                ],
            ),
        ],
    )


def matches(rows: list[dict[str, Any]], note: str | None = None) -> ui.Screen:
    body: list[Any] = [ui.Text(text=note, style="heading")] if note else []
    for row in rows:
        if row["status"] == "open":
            payload = {"match": row["ref"]}
            body.append(
                ui.Card(
                    title=row["name"],
                    subtitle="Matched: your chat is open",
                    buttons=[
                        ui.Button(label="Unmatch", action="unmatch", payload=payload),
                        ui.Button(label="Report", action="report_form", payload={"card": row["card"]}),
                        ui.Button(
                            label="Block", action="block", payload={"card": row["card"]}, style="danger"
                        ),
                    ],
                )
            )
        else:
            body.append(ui.Card(title=row["name"], subtitle="Match ended"))
    if not rows:
        body.append(ui.Text(text="No matches yet. Like someone with /match."))
    return ui.Screen(title="Your matches", body=body[:100])
