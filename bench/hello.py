"""A Flask "hello world" under exactly the WSGI server settings of ``ngo-ld serve``.

The floor of the benchmark: what one request costs in this WSGI stack before ngo_ld does
anything. Run by bench/run.py as ``python bench/hello.py PORT`` (``NGO_LD_SERVER`` picks
the server as for ngo-ld).
"""

from __future__ import annotations

import sys
from pathlib import Path

from flask import Flask

from ngo_ld.web.frontdoor import FrontDoor

app = Flask(__name__)
# The same access log as ngo-ld (one line per request), without the answer memory.
app.wsgi_app = FrontDoor(app.wsgi_app, max_entries=0)  # type: ignore[method-assign]


@app.get("/")
def hello() -> str:
    return "Hello, World!"


def main(port: int) -> None:
    from ngo_ld.config import Settings
    from ngo_ld.server import gunicorn_options, run_gunicorn

    settings = Settings.from_env(host="127.0.0.1", port=port)
    if settings.server == "gunicorn":
        run_gunicorn(app, {**gunicorn_options(settings), "proc_name": "hello"})
        return
    from granian import Granian

    from ngo_ld.server import granian_options

    Granian("hello:app", **{**granian_options(settings), "factory": False,
                            "working_dir": Path(__file__).resolve().parent}).serve()


if __name__ == "__main__":
    main(int(sys.argv[1]))
