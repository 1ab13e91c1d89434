"""``python -m ngo_ld`` is the same as the ``ngo-ld`` command."""

from .cli import main

main()
