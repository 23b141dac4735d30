"""Exit 0 if a database URL accepts a connection, 1 otherwise (used by `make test`)."""

import sys

import dj_database_url


def can_connect(url: str) -> bool:
    import psycopg

    config = dj_database_url.parse(url)
    try:
        psycopg.connect(
            host=config["HOST"],
            port=config["PORT"] or 5432,
            user=config["USER"],
            password=config["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError as error:
        print(f"PostgreSQL not reachable: {error}".strip(), file=sys.stderr)
        return False
    return True


if __name__ == "__main__":
    sys.exit(0 if can_connect(sys.argv[1]) else 1)
