"""Make the tests' sample DiamanteDesk database and its files by hand: `python -m tests.importer.make_sample`."""

import argparse

from tests.importer.sample import load, write_files
from tests.importer.scratch import ScratchDatabase


def main():
    parser = argparse.ArgumentParser(description="Make the sample DiamanteDesk database and its files.")
    parser.add_argument("database", help="name of the database to make on the test MariaDB server")
    parser.add_argument("files", help="folder for the original's attachment files (ticket/, comment/)")
    parser.add_argument("--2x", dest="v2", action="store_true", help="the 2.x layout instead of 1.0.x")
    args = parser.parse_args()
    database = ScratchDatabase("2.x" if args.v2 else "1.0.x", name=args.database)
    load(database, v2=args.v2)
    write_files(args.files)
    print(f"{database.url} (files under {args.files})")


if __name__ == "__main__":
    main()
