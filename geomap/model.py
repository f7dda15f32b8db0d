"""The domain of geomap: small immutable records that flow one way.

text -> ``Document`` -> ``Mention`` (recognised, then resolved to a ``Place``)
-> ``Event`` / ``Flow`` -> layers -> map.  No I/O and no pandas here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class EventType(StrEnum):
    """Short event class names (the dev-set gold vocabulary)."""

    ARMED_CLASH = "armed_clash"
    SHELLING = "shelling"
    AIR_STRIKE = "air_strike"
    DISPLACEMENT = "displacement"
    CEASEFIRE = "ceasefire"
    OTHER = "other"


#: Kinds of gazetteer entries that are areas (drawn as polygons, never as a village point).
AREA_KINDS = frozenset(
    {
        "country",
        "governorate",
        "district",
        "subdistrict",
        "countryside",
        "region",
        "plain",
        "mountain",
        "valley",
        "operation-area",
    }
)

#: Kinds that are settlements (drawn as points).
SETTLEMENT_KINDS = frozenset({"city", "town", "village", "neighbourhood", "camp"})


@dataclass(frozen=True, slots=True)
class Document:
    """One article. ``text`` is the original and is never modified."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None  # ISO date of publication, if known
    url: str | None = None
    source: str | None = None
    lang: str | None = None  # "ar", "en" or None (detected)


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry. Areas keep a representative point; their polygon is looked up by id."""

    id: str
    name_ar: str
    name_en: str
    kind: str
    lat: float
    lon: float
    admin1: str | None = None
    admin1_pcode: str | None = None
    admin2: str | None = None
    admin2_pcode: str | None = None
    admin3: str | None = None
    admin3_pcode: str | None = None
    parent_id: str | None = None
    population: int = 0
    has_geometry: bool = False
    source: str = ""

    @property
    def is_area(self) -> bool:
        return self.kind in AREA_KINDS


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible referent of a mention, with its score from the resolver."""

    place_id: str
    score: float


@dataclass(frozen=True, slots=True)
class Mention:
    """A place mention: ``doc.text[start:end] == surface`` always holds.

    ``name`` is the name as written, without clitics (``وكبينة`` -> ``كبينة``);
    for region phrases it is the canonical phrase (``ريف إدلب الجنوبي``).
    ``feature`` says what the phrase named around the place: ``front``, ``axis``,
    ``outskirts``, ``near`` … or ``""`` for the place itself.
    """

    doc_id: str
    start: int
    end: int
    surface: str
    name: str
    keys: tuple[str, ...] = ()  # normalised gazetteer keys that matched
    kind_hint: str | None = None  # kind implied by the phrase (countryside, village, …)
    feature: str = ""
    chain: tuple[int, ...] = ()  # indices of the mentions right after it that contain it (recognition)
    # ids of the places that contain it: a city its adjective names («حي جوبر الدمشقي») from the
    # start, the containers of its chain once resolved (… في سهل الغاب بريف حماة)
    context: tuple[str, ...] = ()
    place: Place | None = None
    confidence: float = 0.0
    reason: str = ""
    candidates: tuple[Candidate, ...] = ()
    geo_precision: int = 3  # ACLED: 1 town, 2 near / part of region, 3 region only
    where_prec: int = 6  # UCDP: 1 exact … 4 admin2, 5 admin1-ish, 6 country, 7 international


@dataclass(frozen=True, slots=True)
class Count:
    """A number reported in the text, with its hedges resolved to a range (UCDP best/low/high).

    ``best`` is the number as stated: "more than 10" is best 10, low 10, high 15.
    """

    best: int
    low: int
    high: int
    what: str = ""  # killed, injured, displaced, displaced families, strikes, projectiles …
    surface: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """One reported event, tied to its places and to the sentence that reports it."""

    id: str
    doc_id: str
    type: EventType
    event_type: str  # ACLED event_type
    sub_event_type: str  # ACLED sub_event_type (or DTM-style for displacement)
    sentence: str
    start: int  # span of the sentence in the document
    end: int
    trigger: str
    trigger_start: int
    trigger_end: int
    locations: tuple[Mention, ...] = ()
    origins: tuple[Mention, ...] = ()  # displacement origin areas
    destinations: tuple[Mention, ...] = ()  # displacement destinations
    count: Count | None = None  # the primary count: deaths, else displaced, else strikes/munitions
    fatalities: int | None = None  # ACLED: people reported killed (None when the text gives no deaths)
    actor1: str | None = None
    actor2: str | None = None
    status: str = "reported"  # reported, attempted, failed, rejected, proposed, negated
    date: str | None = None
    time_precision: int = 3  # ACLED: 1 day, 2 week, 3 month or unknown
    doc_url: str | None = None
    notes: str = ""
    sources: tuple[str, ...] = field(default=())  # ids of documents reporting it (after merging)


@dataclass(frozen=True, slots=True)
class Flow:
    """A displacement from an origin to a destination (or origin only)."""

    id: str
    doc_id: str
    event_id: str
    origin: Mention
    destination: Mention | None
    count: Count | None
    sentence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Result:
    """What the pipeline makes of one document."""

    document: Document
    mentions: tuple[Mention, ...]
    events: tuple[Event, ...]
    flows: tuple[Flow, ...] = ()
