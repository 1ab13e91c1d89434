"""The request's facts for :func:`ngo_ld.answers.choose` (extension, ``?format=``,
``Accept``), and the ``Link`` alternates that go with a choice: shared by the blueprints."""

from __future__ import annotations

from flask import request

from ..answers import choose
from ..errors import NotAcceptable
from ..formats import Format


def link_header(stem: str, formats: tuple[Format, ...], *, served: Format | None = None,
                extra: tuple[str, ...] = ()) -> str:
    """``Link`` alternates for every format of ``stem`` (``/doc/astra`` → ``.ttl`` …)."""
    links = [f'<{stem}.{f.extension}>; rel="alternate"; type="{f.media_type}"'
             for f in formats if f is not served]
    return ", ".join([*links, *extra])


def chosen_format(offered: tuple[Format, ...], extension: str | None, *,
                  stem: str | None = None) -> Format:
    """The representation this request asks for by extension, ``?format=`` or ``Accept``.

    :raises UnknownResource: an extension that is not offered here (no such URL).
    :raises NotAcceptable: nothing offered matches ``Accept``; with ``stem``, it carries
        the ``Link`` alternates of every format (``{stem}.{ext}``) for the 406 answer.
    """
    try:
        return choose(offered, extension=extension, override=request.args.get("format"),
                      accept=request.headers.get("Accept"))
    except NotAcceptable as exc:
        if stem is not None:
            exc.links = link_header(stem, offered)
        raise
