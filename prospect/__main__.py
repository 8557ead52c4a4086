"""``python -m prospect``: the ``prospect`` command line."""

from prospect.cli import main

if __name__ == "__main__":
    main()
