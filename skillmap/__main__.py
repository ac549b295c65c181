"""``python -m skillmap`` runs the command-line interface."""

from skillmap.cli import main

if __name__ == "__main__":
    main()
