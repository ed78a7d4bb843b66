"""stub."""


def run_postgres(context, report):
    pass


def run_redis(context, report):
    pass
