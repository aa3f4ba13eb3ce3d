"""The ``groundswell`` console command: Django's management commands, with dashes or underscores.

``groundswell migrate``, ``groundswell demo``, ``groundswell serve --host H --port P``,
``groundswell import-actions FILE`` …
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "groundswell"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
