"""The pipeline: Document -> mentions -> resolved places -> events, as named steps.

``extract(text)`` is the shortcut for one text; ``Pipeline.pipe`` streams many documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from geomap.events import extract_events
from geomap.gazetteer import Gazetteer, load_gazetteer
from geomap.model import Document, Result
from geomap.recognize import Recognizer
from geomap.resolve import Resolver


class Pipeline:
    """Recognise, resolve and extract events with one gazetteer.

    Args:
        gazetteer: a loaded ``Gazetteer``, a directory holding a built one, or None
            for the bundled gazetteer.
    """

    def __init__(self, gazetteer: Gazetteer | str | Path | None = None) -> None:
        if not isinstance(gazetteer, Gazetteer):
            gazetteer = load_gazetteer(gazetteer)
        self.gazetteer = gazetteer
        self.recognizer = Recognizer(gazetteer)
        self.resolver = Resolver(gazetteer)

    def __call__(self, doc: Document) -> Result:
        mentions = self.resolver.resolve(self.recognizer.recognize(doc))
        events, flows = extract_events(doc, mentions)
        return Result(document=doc, mentions=tuple(mentions), events=events, flows=flows)

    def pipe(self, docs: Iterable[Document]) -> Iterator[Result]:
        """Process documents one by one, lazily, in order."""
        for doc in docs:
            yield self(doc)


_DEFAULT: Pipeline | None = None


def extract(text: str, *, doc_id: str = "doc", date: str | None = None, url: str | None = None) -> Result:
    """Extract the places and events of one text with the bundled gazetteer.

    Examples:
        >>> result = extract("قصف مدفعي على مدينة سراقب")  # doctest: +SKIP
        >>> result.mentions[0].place.name_en  # doctest: +SKIP
        'Saraqab'
    """
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT(Document(id=doc_id, text=text, date=date, url=url))
