"""stub."""


def run(context, report):
    pass
