"""Can Kaynak reach what it is configured to use? One sentence per problem, naming the variable."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection


def service_problems() -> list[str]:
    """Problems reaching the database and the task queue, each as one sentence."""
    problems = []
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        problems.append(f"KAYNAK_DATABASE_URL: the database cannot be reached ({reason}).")
    else:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'tr-TR-x-icu'")
                if cursor.fetchone() is None:
                    problems.append(
                        "KAYNAK_DATABASE_URL: this PostgreSQL has no ICU collation tr-TR-x-icu "
                        "(use a PostgreSQL built with ICU)."
                    )
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3).ping()
        except (redis.RedisError, OSError) as exc:
            problems.append(f"KAYNAK_REDIS_URL: Redis cannot be reached ({exc}).")
    return problems
